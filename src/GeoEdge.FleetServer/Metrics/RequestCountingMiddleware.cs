using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Counts every request by route template (not the raw path, so device ids do not explode the series), method and status.</summary>
public sealed class RequestCountingMiddleware(RequestDelegate next, RequestCounter counter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            counter.Count(route, context.Request.Method, context.Response.StatusCode);
        }
    }
}
