using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Diagnostics;

/// <summary>The local diagnostics endpoint as its own slim Kestrel app, bound to <see cref="DiagnosticsOptions.Url"/>.</summary>
public sealed class DiagnosticsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiagnosticsServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The address Kestrel bound (with the real port when the URL asked for port 0); null before start.</summary>
    public Uri? Address { get; private set; }

    /// <summary>Builds the app (nothing listens until <see cref="StartAsync"/>).</summary>
    /// <param name="services">The ports and state the routes use.</param>
    /// <param name="logging">Where Kestrel's own logs go; none when null (the host logs through its own factory).</param>
    public static DiagnosticsServer Create(DiagnosticsServices services, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        IPEndPoint endpoint = ParseUrl(services.Options.Url);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "geoedge-diagnostics",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint);
            kestrel.Limits.MaxRequestBodySize = services.Options.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddGeoEdgeDiagnosticsJson();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        WebApplication app = builder.Build();
        app.MapGeoEdgeDiagnostics(services);
        return new DiagnosticsServer(app);
    }

    public async Task<Uri> StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound);
        return Address;
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Only http://IP:port (or localhost): the endpoint is for the device and its operator, not the internet.</summary>
    public static IPEndPoint ParseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
        {
            throw new ArgumentException($"diagnostics.url '{url}' must be http://<ip>:<port>", nameof(url));
        }

        IPAddress address = uri.IsLoopback && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _)
            ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) ? ip : throw new ArgumentException($"diagnostics.url '{url}': host must be an IP address or localhost", nameof(url));
        return new IPEndPoint(address, uri.Port);
    }
}
