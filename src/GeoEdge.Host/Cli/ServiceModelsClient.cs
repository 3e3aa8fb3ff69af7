using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GeoEdge.Host.Configuration;
using GeoEdge.Host.Diagnostics;

namespace GeoEdge.Host.Cli;

/// <summary>`geoedge models ... --config FILE` while the service runs: the same verbs through the diagnostics endpoint, so
/// the running service's store (which holds the store lock) does the work and swaps the live pipelines.</summary>
internal sealed class ServiceModelsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _tokenFile;

    private ServiceModelsClient(HttpClient http, string tokenFile)
    {
        _http = http;
        _tokenFile = tokenFile;
    }

    /// <summary>A client when the configured endpoint answers /healthz, else null (the service is not running).</summary>
    public static ServiceModelsClient? TryConnect(DeviceOptions options)
    {
        if (!options.Diagnostics.Enabled)
        {
            return null;
        }

        var http = new HttpClient { BaseAddress = new Uri(options.Diagnostics.Url), Timeout = TimeSpan.FromSeconds(120) };
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using HttpResponseMessage health = http.GetAsync(new Uri("/healthz", UriKind.Relative), probe.Token).GetAwaiter().GetResult();
            if (health.IsSuccessStatusCode)
            {
                return new ServiceModelsClient(http, options.Diagnostics.TokenFile);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Nothing listens: the service is stopped, and the store is worked on directly.
        }

        http.Dispose();
        return null;
    }

    public int Run(string verb, IReadOnlyList<string> positional, TextWriter stdout) => verb switch
    {
        "list" => Print(Send(HttpMethod.Get, "/api/v1/models", null, authorize: false), stdout),
        "install" => Print(Send(HttpMethod.Post, "/api/v1/models/install", Json("path", Path.GetFullPath(Arg(positional, 0, "install BUNDLE")))), stdout),
        "activate" => Print(Send(HttpMethod.Post, $"/api/v1/models/{Uri.EscapeDataString(Arg(positional, 0, "activate NAME VERSION"))}/activate", Json("version", Arg(positional, 1, "activate NAME VERSION"))), stdout),
        "rollback" => Print(Send(HttpMethod.Post, $"/api/v1/models/{Uri.EscapeDataString(Arg(positional, 0, "rollback NAME"))}/rollback", null), stdout),
        _ => throw new UsageException($"unknown models verb '{verb}'"),
    };

    public void Dispose() => _http.Dispose();

    private (int Status, string Body) Send(HttpMethod method, string path, string? json, bool authorize = true)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (authorize)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_tokenFile).Trim());
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return ((int)response.StatusCode, reader.ReadToEnd());
    }

    /// <summary>The service's answer as one JSON document on stdout; a refusal (4xx/5xx) exits 1 with the problem's detail.</summary>
    private static int Print((int Status, string Body) response, TextWriter stdout)
    {
        stdout.WriteLine(response.Body);
        if (response.Status is >= 200 and < 300)
        {
            return CommandLine.Ok;
        }

        using JsonDocument problem = JsonDocument.Parse(response.Body);
        string detail = problem.RootElement.TryGetProperty("detail", out JsonElement d) ? d.GetString() ?? string.Empty : response.Body;
        throw new ModelServiceException($"the service answered {response.Status}: {detail}");
    }

    private static string Json(string name, string value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(name, value);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Arg(IReadOnlyList<string> positional, int index, string usage) =>
        index < positional.Count ? positional[index] : throw new UsageException($"usage: geoedge models {usage} --config FILE");
}

/// <summary>The running service refused a models operation; the message carries its problem detail.</summary>
internal sealed class ModelServiceException(string message) : Exception(message);
