using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GeoEdge.FleetServer.Http;

/// <summary>Turns exceptions that escape a handler into problem+json: an unknown device is 404, anything else a 500 that
/// names the route (the exception goes to the log, not to the client).</summary>
public sealed class ProblemExceptionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger _logger;

    /// <summary>Creates the middleware.</summary>
    public ProblemExceptionMiddleware(RequestDelegate next, ILogger<ProblemExceptionMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    /// <summary>Runs the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (DeviceNotFoundException e) when (!context.Response.HasStarted)
        {
            await FleetProblems.WriteAsync(context, StatusCodes.Status404NotFound, "not-found", "Not found", e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await FleetProblems.WriteAsync(context, e.StatusCode, "bad-request", "Bad request", e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            Log.Unhandled(_logger, context.Request.Method, context.Request.Path, e);
            await FleetProblems.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal", "Internal error",
                $"{context.Request.Method} {context.Request.Path} failed on the server; see the server log").ConfigureAwait(false);
        }
    }
}
