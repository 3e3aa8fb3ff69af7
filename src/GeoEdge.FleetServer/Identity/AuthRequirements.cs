using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GeoEdge.FleetServer.Identity;

/// <summary>Endpoint metadata: the route is a device call (mTLS or request signature); with OwnRouteOnly the route's {id} must be the caller.</summary>
/// <param name="OwnRouteOnly">True for /v1/devices/{id}/...: another device's id is answered 403.</param>
public sealed record DeviceAuthRequirement(bool OwnRouteOnly);

/// <summary>Endpoint metadata: the route needs an operator bearer token of at least this role.</summary>
/// <param name="Role">The least role.</param>
public sealed record OperatorAuthRequirement(OperatorRole Role);

/// <summary>How routes declare who may call them; <see cref="FleetAuthenticationMiddleware"/> enforces it before the handler runs.</summary>
public static class AuthEndpointExtensions
{
    /// <summary>Device-authenticated; the route's {id} must be the device (403 otherwise).</summary>
    public static TBuilder RequireDevice<TBuilder>(this TBuilder builder, bool ownRouteOnly = true)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new DeviceAuthRequirement(ownRouteOnly));

    /// <summary>Operator bearer token with at least <paramref name="role"/>.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder, OperatorRole role)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new OperatorAuthRequirement(role));

    /// <summary>The authenticated device of a device route (set by the middleware; never null on such a route).</summary>
    public static AuthenticatedDevice Device(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<AuthenticatedDevice>() ?? throw new InvalidOperationException("route has no RequireDevice(): no authenticated device");
    }
}
