using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>The operator's rollout API: create (operator), list and view (viewer), pause/resume/cancel/approve (operator).</summary>
public static class RolloutEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/rollouts", CreateAsync).RequireOperator(OperatorRole.Operator);
        routes.MapGet("/v1/rollouts", ListAsync).RequireOperator(OperatorRole.Viewer);
        routes.MapGet("/v1/rollouts/{id}", GetAsync).RequireOperator(OperatorRole.Viewer);
        routes.MapPost("/v1/rollouts/{id}/pause", (string id, HttpContext c, FleetStore s) =>
            TransitionAsync(id, c, s, [RolloutStates.Running], RolloutStates.Paused)).RequireOperator(OperatorRole.Operator);
        routes.MapPost("/v1/rollouts/{id}/resume", (string id, HttpContext c, FleetStore s) =>
            TransitionAsync(id, c, s, [RolloutStates.Paused], RolloutStates.Running)).RequireOperator(OperatorRole.Operator);
        routes.MapPost("/v1/rollouts/{id}/approve", (string id, HttpContext c, FleetStore s) =>
            TransitionAsync(id, c, s, [RolloutStates.PendingApproval], RolloutStates.Running)).RequireOperator(OperatorRole.Operator);
        routes.MapPost("/v1/rollouts/{id}/cancel", (string id, HttpContext c, FleetStore s) =>
            TransitionAsync(id, c, s, [RolloutStates.PendingApproval, RolloutStates.Running, RolloutStates.Paused, RolloutStates.Halted], RolloutStates.Canceled))
            .RequireOperator(OperatorRole.Operator);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, FleetStore store)
    {
        (RolloutRequest? request, IResult? problem) = await JsonBody.ReadAsync(context.Request, FleetJsonContext.Default.RolloutRequest).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        try
        {
            RolloutView view = await new RolloutStore(store).CreateAsync(request, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(view, FleetJsonContext.Default.RolloutView, statusCode: StatusCodes.Status201Created);
        }
        catch (RolloutRequestException e) when (e.Status == StatusCodes.Status422UnprocessableEntity)
        {
            return FleetProblems.Result(e.Status, "unprocessable-rollout", "Rollout request cannot be carried out", e.Message);
        }
        catch (RolloutRequestException e)
        {
            return FleetProblems.BadRequest(e.Message);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, FleetStore store) =>
        TypedResults.Json<IReadOnlyList<RolloutView>>(await new RolloutStore(store).ListAsync(context.RequestAborted).ConfigureAwait(false),
            FleetJsonContext.Default.IReadOnlyListRolloutView);

    private static async Task<IResult> GetAsync(string id, HttpContext context, FleetStore store)
    {
        RolloutView? view = await new RolloutStore(store).GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        return view is null ? FleetProblems.NotFound($"rollout '{id}' does not exist") : TypedResults.Json(view, FleetJsonContext.Default.RolloutView);
    }

    private static async Task<IResult> TransitionAsync(string id, HttpContext context, FleetStore store, string[] from, string to)
    {
        var rollouts = new RolloutStore(store);
        TransitionOutcome outcome = await rollouts.TransitionAsync(id, from, to, context.RequestAborted).ConfigureAwait(false);
        RolloutView? view = await rollouts.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            TransitionOutcome.Done => TypedResults.Json(view!, FleetJsonContext.Default.RolloutView),
            TransitionOutcome.NotFound => FleetProblems.NotFound($"rollout '{id}' does not exist"),
            _ => FleetProblems.Result(StatusCodes.Status409Conflict, "conflict", "Rollout state does not allow this",
                $"rollout '{id}' is {view?.State}; this needs it {string.Join(" or ", from)}"),
        };
    }
}
