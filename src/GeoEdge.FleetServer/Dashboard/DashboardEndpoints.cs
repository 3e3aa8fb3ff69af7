using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoEdge.FleetServer.Dashboard;

/// <summary>GET /: the fleet dashboard, one self-contained page (inline CSS and JS, no CDN, no fonts) that reads the operator
/// JSON API with a viewer token; the page itself carries no data, so it needs no token to be served.</summary>
public static class DashboardEndpoints
{
    private const string ResourceName = "GeoEdge.FleetServer.Dashboard.dashboard.html";

    private static readonly Lazy<byte[]> Page = new(Load);

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/", (HttpContext context) =>
        {
            // The page must not be framed or pull anything from elsewhere; the token lives only in this tab's sessionStorage.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Bytes(Page.Value, "text/html; charset=utf-8");
        });
    }

    private static byte[] Load()
    {
        using Stream stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
