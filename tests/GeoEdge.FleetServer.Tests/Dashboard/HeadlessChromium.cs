using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace GeoEdge.FleetServer.Tests.Dashboard;

/// <summary>Debian's chromium, headless (the approach of GeoEdge.Host.Tests' device-dashboard test, adapted to this project), opened on one URL and read through the DevTools protocol (Runtime.evaluate).</summary>
/// <remarks>DevTools rather than --dump-dom: the test must publish data after the page has subscribed and then read the
/// DOM, and --virtual-time-budget either races ahead of the publish or stalls on the open event stream.</remarks>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Binary = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> OpenAsync(Uri page, CancellationToken ct)
    {
        string profile = Directory.CreateTempSubdirectory("geoedge-chromium-").FullName;
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", page.ToString(),
        })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{Binary} did not start");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var chromium = new HeadlessChromium(process, profile);
        try
        {
            // Chromium writes the port it chose into DevToolsActivePort in the profile directory.
            string portFile = Path.Combine(profile, "DevToolsActivePort");
            while (!File.Exists(portFile) || File.ReadAllText(portFile).Split('\n')[0].Length == 0)
            {
                if (process.HasExited)
                {
                    lock (stderr)
                    {
                        throw new InvalidOperationException($"{Binary} exited with {process.ExitCode}: {stderr}");
                    }
                }

                await Task.Delay(50, ct);
            }

            int port = int.Parse(File.ReadAllText(portFile).Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
            using var http = new HttpClient();
            string? socketUrl = null;
            while (socketUrl is null)
            {
                using JsonDocument targets = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), ct));
                socketUrl = targets.RootElement.EnumerateArray()
                    .Where(t => t.GetProperty("type").GetString() == "page")
                    .Select(t => t.GetProperty("webSocketDebuggerUrl").GetString())
                    .FirstOrDefault();
                if (socketUrl is null)
                {
                    await Task.Delay(50, ct);
                }
            }

            await chromium._socket.ConnectAsync(new Uri(socketUrl), ct);
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its string value.</summary>
    public async Task<string> EvaluateAsync(string expression, CancellationToken ct)
    {
        int id = ++_nextId;
        byte[] request = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new Dictionary<string, object> { ["expression"] = expression, ["returnByValue"] = true },
        });
        await _socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, ct);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, ct);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            using JsonDocument json = JsonDocument.Parse(message.ToArray());
            if (json.RootElement.TryGetProperty("id", out JsonElement got) && got.GetInt32() == id)
            {
                return json.RootElement.GetProperty("result").GetProperty("result").GetProperty("value").GetString() ?? string.Empty;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
