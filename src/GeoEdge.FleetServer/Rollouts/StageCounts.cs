using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>A stage's actions counted the way its thresholds read them.</summary>
public sealed class StageCounts
{
    public int Success { get; private set; }

    public int Failed { get; private set; }

    public int RolledBack { get; private set; }

    public int TimedOut { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>Failed + rolled_back + timed_out + rejected.</summary>
    public int Errors => Failed + RolledBack + TimedOut + Rejected;

    /// <summary>Actions that finished with a success or an error (canceled ones did not execute).</summary>
    public int Executed => Success + Errors;

    public void Add(ActionStatus status)
    {
        switch (status)
        {
            case ActionStatus.Active or ActionStatus.AlreadyActive: Success++; break;
            case ActionStatus.Failed: Failed++; break;
            case ActionStatus.RolledBack: RolledBack++; break;
            case ActionStatus.TimedOut: TimedOut++; break;
            case ActionStatus.Rejected: Rejected++; break;
            default: break;
        }
    }
}
