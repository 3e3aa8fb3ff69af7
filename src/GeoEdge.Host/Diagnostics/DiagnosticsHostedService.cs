using Microsoft.Extensions.Hosting;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Runs a <see cref="DiagnosticsServer"/> for the lifetime of a Generic Host (`geoedge run`).</summary>
public sealed class DiagnosticsHostedService : IHostedService, IAsyncDisposable
{
    private readonly DiagnosticsServer _server;

    public DiagnosticsHostedService(DiagnosticsServer server)
    {
        _server = server;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
