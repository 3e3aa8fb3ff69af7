using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Http;

namespace GeoEdge.FleetServer.Identity;

/// <summary>Authenticates an operator call by its bearer token and checks the token's role against the route's.</summary>
public sealed class OperatorAuthenticator
{
    private readonly FleetStore _store;

    /// <summary>Creates the authenticator.</summary>
    public OperatorAuthenticator(FleetStore store)
    {
        _store = store;
    }

    /// <summary>The operator, or why not (401 without a valid token, 403 with too small a role).</summary>
    public async Task<(AuthenticatedOperator? Operator, AuthFailure? Failure)> AuthenticateAsync(HttpContext context, OperatorRole least)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? header = context.Request.Headers.Authorization;
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
        {
            return (null, new AuthFailure(StatusCodes.Status401Unauthorized, "this route needs 'Authorization: Bearer <operator token>'"));
        }

        OperatorRole? role = await _store.OperatorTokens.FindRoleAsync(header[scheme.Length..].Trim(), context.RequestAborted).ConfigureAwait(false);
        if (role is null)
        {
            return (null, new AuthFailure(StatusCodes.Status401Unauthorized, "the bearer token is not an operator token of this server"));
        }

        if (role.Value < least)
        {
            return (null, new AuthFailure(StatusCodes.Status403Forbidden,
                $"this route needs the {OperatorRoles.Name(least)} role; the token has {OperatorRoles.Name(role.Value)}"));
        }

        return (new AuthenticatedOperator(role.Value), null);
    }
}
