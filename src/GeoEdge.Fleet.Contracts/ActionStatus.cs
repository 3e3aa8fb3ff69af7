using System.Text.Json.Serialization;

namespace GeoEdge.Fleet.Contracts;

/// <summary>Where an action stands on the device (or, for TimedOut, on the server's clock). Serialized snake_case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActionStatus>))]
public enum ActionStatus
{
    /// <summary>Seen, not started.</summary>
    [JsonStringEnumMemberName("queued")] Queued,

    /// <summary>Bundle download under way (progress = bytes).</summary>
    [JsonStringEnumMemberName("downloading")] Downloading,

    /// <summary>Bundle complete on disk.</summary>
    [JsonStringEnumMemberName("downloaded")] Downloaded,

    /// <summary>SHA-256 and signature being checked.</summary>
    [JsonStringEnumMemberName("verifying")] Verifying,

    /// <summary>In the model store, not active.</summary>
    [JsonStringEnumMemberName("installed")] Installed,

    /// <summary>The store's activation (load, self-test, swap) is under way.</summary>
    [JsonStringEnumMemberName("activating")] Activating,

    /// <summary>Terminal: the target version serves.</summary>
    [JsonStringEnumMemberName("active")] Active,

    /// <summary>Terminal: the action failed before the swap; the old version still serves.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Terminal: the new version was activated and then rolled back.</summary>
    [JsonStringEnumMemberName("rolled_back")] RolledBack,

    /// <summary>Terminal: the device refused the assignment (untrusted key, unknown model, bad bundle).</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,

    /// <summary>Terminal: the server canceled the action.</summary>
    [JsonStringEnumMemberName("canceled")] Canceled,

    /// <summary>Terminal: the target version was already active.</summary>
    [JsonStringEnumMemberName("already_active")] AlreadyActive,

    /// <summary>Terminal, set by the server: no terminal status within the stage's in-progress timeout.</summary>
    [JsonStringEnumMemberName("timed_out")] TimedOut,
}

/// <summary>Which statuses end an action and which of those count as success or error for a rollout.</summary>
public static class ActionStatuses
{
    /// <summary>True for statuses after which the action never changes.</summary>
    public static bool IsTerminal(ActionStatus status) => status is ActionStatus.Active or ActionStatus.Failed or ActionStatus.RolledBack
        or ActionStatus.Rejected or ActionStatus.Canceled or ActionStatus.AlreadyActive or ActionStatus.TimedOut;

    /// <summary>True for the terminal statuses that count as success in a rollout stage.</summary>
    public static bool IsSuccess(ActionStatus status) => status is ActionStatus.Active or ActionStatus.AlreadyActive;

    /// <summary>True for the terminal statuses that count against a rollout stage's error threshold.</summary>
    public static bool IsError(ActionStatus status) => status is ActionStatus.Failed or ActionStatus.RolledBack
        or ActionStatus.TimedOut or ActionStatus.Rejected;
}

/// <summary>POST /v1/devices/{id}/actions/{actionId}/status (with an Idempotency-Key header).</summary>
/// <param name="Seq">Per-action sequence number; the server ignores a status older than the newest it holds.</param>
/// <param name="Time">Device clock when the status was reached.</param>
/// <param name="Status">The status.</param>
/// <param name="Progress">Progress within the status (bytes downloaded of total), if any.</param>
/// <param name="Code">A machine-readable reason for failed/rejected/rolled_back (e.g. "signature", "self_test").</param>
/// <param name="Details">A human sentence.</param>
public sealed record ActionStatusReport(
    long Seq,
    DateTimeOffset Time,
    ActionStatus Status,
    ActionProgress? Progress = null,
    string? Code = null,
    string? Details = null);

/// <summary>How far along a status is: Cnt of Of units.</summary>
/// <param name="Cnt">Done.</param>
/// <param name="Of">Total.</param>
public sealed record ActionProgress(long Cnt, long Of);
