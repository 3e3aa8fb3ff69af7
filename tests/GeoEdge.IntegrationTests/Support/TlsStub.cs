using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GeoEdge.IntegrationTests.Support;

/// <summary>An https listener on 127.0.0.1 with a server certificate of the test's choosing that answers every request
/// with an empty desired state: what a device meets when something other than its fleet's device port answers.</summary>
internal sealed class TlsStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsStub(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Requests that reached the handler (i.e. got past the TLS handshake).</summary>
    public int Requests { get; private set; }

    public static async Task<TlsStub> StartAsync(X509Certificate2 certificate)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        WebApplication app = builder.Build();
        TlsStub? stub = null;
        app.Run(context =>
        {
            stub!.Requests++;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"desiredVersion":1,"pollAfterSeconds":30,"assignment":null}""");
        });
        await app.StartAsync();
        stub = new TlsStub(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
