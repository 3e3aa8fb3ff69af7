namespace GeoEdge.FleetServer.Rollouts;

/// <summary>The names of a rollout's states as RolloutView.State carries them.</summary>
public static class RolloutStates
{
    public const string PendingApproval = "pending_approval";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Halted = "halted";
    public const string Canceled = "canceled";
    public const string Succeeded = "succeeded";

    /// <summary>True for states after which the rollout never assigns again.</summary>
    public static bool IsFinal(string state) => state is Halted or Canceled or Succeeded;
}

/// <summary>The names of a stage's states as StageProgress.State carries them.</summary>
public static class StageStates
{
    public const string Waiting = "waiting";
    public const string Running = "running";
    public const string Baking = "baking";
    public const string Succeeded = "succeeded";
    public const string Halted = "halted";
    public const string Canceled = "canceled";
}
