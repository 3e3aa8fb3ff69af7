using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Storage;

/// <summary>One enrolled device as stored: identity, desired state (version + assignment) and what it last reported.</summary>
/// <param name="DeviceId">Id (the certificate's CN).</param>
/// <param name="HwId">Hardware id it enrolled with.</param>
/// <param name="Fleet">The fleet its enrollment token belonged to.</param>
/// <param name="Board">Board name.</param>
/// <param name="AgentVersion">geoedge version.</param>
/// <param name="Attributes">Attributes rollouts select on (from enrollment, updated by reports).</param>
/// <param name="Tags">Tags rollouts select on.</param>
/// <param name="CertificatePem">The certificate issued at its last enrollment.</param>
/// <param name="EnrolledAt">Server clock.</param>
/// <param name="LastSeen">Server clock of its last authenticated call.</param>
/// <param name="DesiredVersion">Monotonic desired-state version.</param>
/// <param name="Assignment">The current assignment, or null.</param>
/// <param name="DesiredChangedAt">When DesiredVersion last changed.</param>
/// <param name="Reported">Its last reported state, or null.</param>
/// <param name="ReportedAt">When that arrived.</param>
public sealed record DeviceRecord(
    string DeviceId,
    string HwId,
    string Fleet,
    string Board,
    string AgentVersion,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<string> Tags,
    string CertificatePem,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? LastSeen,
    long DesiredVersion,
    Assignment? Assignment,
    DateTimeOffset DesiredChangedAt,
    ReportedState? Reported,
    DateTimeOffset? ReportedAt)
{
    /// <summary>True when the device reported acting on the current desired version with code 200.</summary>
    public bool IsConverged => Reported is { } r && r.LastDesiredVersion == DesiredVersion && r.LastDesiredStatus.Code == DesiredStatus.Converged;
}
