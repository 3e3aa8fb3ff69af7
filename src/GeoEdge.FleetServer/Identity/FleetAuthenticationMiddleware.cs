using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GeoEdge.FleetServer.Identity;

/// <summary>Runs after routing and before the handler: enforces the route's <see cref="DeviceAuthRequirement"/> or
/// <see cref="OperatorAuthRequirement"/>, answers 401/403 as problem+json, records the device's last_seen.</summary>
public sealed class FleetAuthenticationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly DeviceAuthenticator _devices;
    private readonly OperatorAuthenticator _operators;
    private readonly FleetStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates the middleware.</summary>
    public FleetAuthenticationMiddleware(RequestDelegate next, DeviceAuthenticator devices, OperatorAuthenticator operators, FleetStore store, ILogger<FleetAuthenticationMiddleware> logger)
    {
        _next = next;
        _devices = devices;
        _operators = operators;
        _store = store;
        _logger = logger;
    }

    /// <summary>Authenticates (when the route asks for it) and calls the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Endpoint? endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<DeviceAuthRequirement>() is { } device)
        {
            (AuthenticatedDevice? who, AuthFailure? failure) = await _devices.AuthenticateAsync(context).ConfigureAwait(false);
            if (who is null)
            {
                await RefuseAsync(context, failure!).ConfigureAwait(false);
                return;
            }

            if (device.OwnRouteOnly && context.Request.RouteValues["id"] is string routeId && !string.Equals(routeId, who.DeviceId, StringComparison.Ordinal))
            {
                await RefuseAsync(context, new AuthFailure(StatusCodes.Status403Forbidden,
                    $"device '{who.DeviceId}' may only call its own routes, not /v1/devices/{routeId}/...")).ConfigureAwait(false);
                return;
            }

            context.Features.Set(who);
            await _store.Devices.TouchAsync(who.DeviceId, context.RequestAborted).ConfigureAwait(false);
        }
        else if (endpoint?.Metadata.GetMetadata<OperatorAuthRequirement>() is { } op)
        {
            (AuthenticatedOperator? who, AuthFailure? failure) = await _operators.AuthenticateAsync(context, op.Role).ConfigureAwait(false);
            if (who is null)
            {
                if (failure!.Status == StatusCodes.Status401Unauthorized)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }

                await RefuseAsync(context, failure).ConfigureAwait(false);
                return;
            }

            context.Features.Set(who);
        }

        await _next(context).ConfigureAwait(false);
    }

    private Task RefuseAsync(HttpContext context, AuthFailure failure)
    {
        Log.AuthRefused(_logger, context.Request.Method, context.Request.Path, failure.Status, failure.Detail);
        (string type, string title) = failure.Status switch
        {
            StatusCodes.Status403Forbidden => ("forbidden", "Not allowed"),
            StatusCodes.Status413PayloadTooLarge => ("body-too-large", "Request body too large"),
            _ => ("unauthorized", "Not authenticated"),
        };
        return FleetProblems.WriteAsync(context, failure.Status, type, title, failure.Detail);
    }
}
