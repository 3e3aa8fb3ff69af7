using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GeoEdge.FleetServer.Identity;

/// <summary>POST /v1/enroll (devices, with an enrollment token), POST /v1/enrollment-tokens (operator), POST /v1/operator-tokens (admin).</summary>
public static class EnrollmentEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/enroll", EnrollAsync);
        routes.MapPost("/v1/enrollment-tokens", CreateEnrollmentTokenAsync).RequireOperator(OperatorRole.Operator);
        routes.MapPost("/v1/operator-tokens", CreateOperatorTokenAsync).RequireOperator(OperatorRole.Admin);
    }

    private static async Task<IResult> EnrollAsync(HttpContext context, DeviceEnrollment enrollment, ILogger<DeviceEnrollment> logger)
    {
        (EnrollRequest? request, IResult? problem) = await JsonBody.ReadAsync(context.Request, FleetJsonContext.Default.EnrollRequest).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        try
        {
            EnrollResponse response = await enrollment.EnrollAsync(request, context.RequestAborted).ConfigureAwait(false);
            Log.Enrolled(logger, response.DeviceId, request.HwId);
            return TypedResults.Json(response, FleetJsonContext.Default.EnrollResponse, statusCode: StatusCodes.Status201Created);
        }
        catch (EnrollmentException e)
        {
            Log.EnrollmentRefused(logger, request.HwId ?? "(none)", e.Message);
            return FleetProblems.BadRequest(e.Message);
        }
        catch (EnrollmentRefusedException e)
        {
            Log.EnrollmentRefused(logger, request.HwId ?? "(none)", e.Message);
            return FleetProblems.Result(StatusCodes.Status403Forbidden, "enrollment-refused", "Enrollment refused", e.Message);
        }
    }

    private static async Task<IResult> CreateEnrollmentTokenAsync(HttpContext context, FleetStore store)
    {
        (EnrollmentTokenRequest? request, IResult? problem) = await JsonBody.ReadAsync(context.Request, ServerJsonContext.Default.EnrollmentTokenRequest).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (string.IsNullOrWhiteSpace(request.Fleet))
        {
            return FleetProblems.BadRequest("fleet: is missing or empty");
        }

        if (request.ExpiresInMinutes is < 1 or > 525600)
        {
            return FleetProblems.BadRequest($"expiresInMinutes: {request.ExpiresInMinutes} is outside 1..525600");
        }

        if (request.MaxUses is < 1 or > 1_000_000)
        {
            return FleetProblems.BadRequest($"maxUses: {request.MaxUses} is outside 1..1000000");
        }

        CreatedToken token = await store.EnrollmentTokens.CreateAsync(request.Fleet, TimeSpan.FromMinutes(request.ExpiresInMinutes), request.MaxUses, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(new EnrollmentTokenResponse(token.Id, token.Secret, token.Fleet, token.ExpiresAt, token.MaxUses),
            ServerJsonContext.Default.EnrollmentTokenResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateOperatorTokenAsync(HttpContext context, FleetStore store)
    {
        (OperatorTokenRequest? request, IResult? problem) = await JsonBody.ReadAsync(context.Request, ServerJsonContext.Default.OperatorTokenRequest).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return FleetProblems.BadRequest("name: is missing or empty");
        }

        if (!OperatorRoles.TryParse(request.Role, out OperatorRole role))
        {
            return FleetProblems.BadRequest($"role: '{request.Role}' is not viewer, operator or admin");
        }

        (string id, string secret) = await store.OperatorTokens.CreateAsync(request.Name, role, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(new OperatorTokenResponse(id, secret, OperatorRoles.Name(role)), ServerJsonContext.Default.OperatorTokenResponse,
            statusCode: StatusCodes.Status201Created);
    }
}
