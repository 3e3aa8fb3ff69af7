using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Actions;

/// <summary>An action as stored: one device moved to one model version by a rollout (forward, or a revert).</summary>
/// <param name="ActionId">Id.</param>
/// <param name="DeviceId">Device.</param>
/// <param name="RolloutId">Rollout.</param>
/// <param name="Stage">Stage index.</param>
/// <param name="Version">Target version.</param>
/// <param name="IsRevert">True for an auto-revert to fromVersion.</param>
/// <param name="Status">Latest status.</param>
/// <param name="Seq">Seq of the latest device status (-1 before any).</param>
/// <param name="AssignedAt">Server clock at assignment.</param>
/// <param name="UpdatedAt">Server clock at the latest status.</param>
public sealed record ActionRecord(
    string ActionId,
    string DeviceId,
    string RolloutId,
    int Stage,
    string Version,
    bool IsRevert,
    ActionStatus Status,
    long Seq,
    DateTimeOffset AssignedAt,
    DateTimeOffset UpdatedAt);
