using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>A plain HTTP forwarder on 127.0.0.1 between the device and the fleet server: the device's serverUrl stays the
/// same while the server restarts on another port, every exchange is logged (status, Range asked, body bytes sent on),
/// and one-shot faults cut the link at a chosen point (what a flaky network or a crash does to the real parties).</summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromSeconds(1),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private readonly ConcurrentQueue<ProxiedExchange> _log = new();
    private readonly List<Fault> _faults = [];

    private FaultProxy(WebApplication app) => _app = app;

    /// <summary>Where requests go (the server's API address); null = the server is down (connections are cut).</summary>
    public Uri? Upstream { get; set; }

    /// <summary>The address devices are given.</summary>
    public Uri Address { get; private set; } = null!;

    public IReadOnlyCollection<ProxiedExchange> Exchanges => _log;

    public static async Task<FaultProxy> StartAsync(Uri? upstream)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var proxy = new FaultProxy(app) { Upstream = upstream };
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return proxy;
    }

    /// <summary>Arms a one-shot fault for the next request whose path contains <paramref name="pathPart"/>.</summary>
    public Fault Arm(string method, string pathPart, FaultKind kind, long afterBytes = 0)
    {
        var fault = new Fault(method, pathPart, kind, afterBytes);
        lock (_faults)
        {
            _faults.Add(fault);
        }

        return fault;
    }

    /// <summary>Exchanges whose path contains <paramref name="pathPart"/>, in the order they ended.</summary>
    public List<ProxiedExchange> Matching(string method, string pathPart) =>
        [.. _log.Where(e => e.Method == method && e.Path.Contains(pathPart, StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private Fault? Take(HttpRequest request)
    {
        lock (_faults)
        {
            Fault? fault = _faults.Find(f => f.Method == request.Method && request.Path.Value!.Contains(f.PathPart, StringComparison.Ordinal));
            if (fault is not null)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    private async Task ForwardAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value + request.QueryString.Value;
        string? range = request.Headers.Range.Count > 0 ? request.Headers.Range.ToString() : null;
        Fault? fault = Take(request);
        if (Upstream is not { } upstream)
        {
            _log.Enqueue(new ProxiedExchange(request.Method, path, range, 0, 0, "server down", []));
            context.Abort();
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, path));
        byte[] body = await ReadAllAsync(request.Body);
        if (body.Length > 0 || HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
        {
            forward.Content = new ByteArrayContent(body);
        }

        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in request.Headers)
        {
            if (!HopByHop.Contains(name) && !forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            _log.Enqueue(new ProxiedExchange(request.Method, path, range, 0, 0, "server unreachable: " + e.Message, body));
            context.Abort();
            return;
        }

        using (response)
        {
            int status = (int)response.StatusCode;
            if (fault is { Kind: FaultKind.CutAfterServerAnswered or FaultKind.HoldAfterServerAnswered })
            {
                // The server has done its work (and committed it); the device never hears of it.
                await response.Content.ReadAsByteArrayAsync();
                _log.Enqueue(new ProxiedExchange(request.Method, path, range, status, 0, fault.Kind.ToString(), body));
                fault.Triggered.TrySetResult();
                if (fault.Kind == FaultKind.HoldAfterServerAnswered)
                {
                    await WaitForAbortAsync(context, fault.Released.Task);
                }

                context.Abort();
                return;
            }

            context.Response.StatusCode = status;
            foreach (KeyValuePair<string, IEnumerable<string>> header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            long sent = await CopyBodyAsync(context, response, fault);
            _log.Enqueue(new ProxiedExchange(request.Method, path, range, status, sent, fault?.Kind.ToString(), body));
        }
    }

    private static async Task<long> CopyBodyAsync(HttpContext context, HttpResponseMessage response, Fault? fault)
    {
        long sent = 0;
        byte[] buffer = new byte[16 * 1024];
        try
        {
            await using Stream body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            int n;
            while ((n = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (fault is { Kind: FaultKind.StallAfterBytes } && sent + n > fault.AfterBytes)
                {
                    n = (int)(fault.AfterBytes - sent);
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    sent += n;
                    fault.Triggered.TrySetResult();
                    // The link hangs here: nothing more arrives until the device gives up or dies.
                    await WaitForAbortAsync(context, fault.Released.Task);
                    context.Abort();
                    return sent;
                }

                await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), context.RequestAborted);
                sent += n;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
        {
            context.Abort(); // the device went away mid-body
        }

        return sent;
    }

    private static async Task WaitForAbortAsync(HttpContext context, Task released)
    {
        var aborted = new TaskCompletionSource();
        using (context.RequestAborted.Register(() => aborted.TrySetResult()))
        {
            await Task.WhenAny(aborted.Task, released);
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream body)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

/// <summary>What a fault does to the one exchange it catches.</summary>
internal enum FaultKind
{
    /// <summary>The response body stops after AfterBytes bytes and the connection hangs (then is cut when released).</summary>
    StallAfterBytes,

    /// <summary>The server gets the request and answers; the device's connection is cut instead of the answer.</summary>
    CutAfterServerAnswered,

    /// <summary>The server gets the request and answers; the device's connection hangs until released (then is cut).</summary>
    HoldAfterServerAnswered,
}

/// <summary>An armed one-shot fault: Triggered completes when it caught its exchange; Release lets a hung link be cut.</summary>
internal sealed class Fault(string method, string pathPart, FaultKind kind, long afterBytes)
{
    public string Method { get; } = method;

    public string PathPart { get; } = pathPart;

    public FaultKind Kind { get; } = kind;

    public long AfterBytes { get; } = afterBytes;

    public TaskCompletionSource Triggered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Released.TrySetResult();
}

/// <summary>One request the proxy handled: Status 0 = the server was not there; BodyBytes = response bytes sent on to the
/// device; RequestBody = what the device sent (empty when the server was known to be down).</summary>
internal sealed record ProxiedExchange(string Method, string Path, string? Range, int Status, long BodyBytes, string? Fault, byte[] RequestBody);
