using System.Text.Json.Serialization;

namespace GeoEdge.Host.Fleet;

/// <summary>The states of the OTA flow; each does one thing and posts one <see cref="OtaEvent"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OtaState>))]
public enum OtaState
{
    /// <summary>An assignment arrived: check it against the device (model known, version already active).</summary>
    Idle,

    /// <summary>Fetch the bundle into the state directory (resumable).</summary>
    Download,

    /// <summary>SHA-256 of the whole file against the assignment.</summary>
    Verify,

    /// <summary>ModelStore.InstallAsync: the signature against the device's trusted keys, then the copy into the store.</summary>
    Install,

    /// <summary>ModelStore.ActivateAsync: the store's own state machine (load, self-test, swap, or its own rollback).</summary>
    Activate,

    /// <summary>Confirm the target serves in the model's slot and the store names it active.</summary>
    Commit,

    /// <summary>ModelStore.RollbackAsync after a commit that did not hold.</summary>
    Rollback,

    /// <summary>Terminal: the target version serves.</summary>
    Done,

    /// <summary>Terminal: the action ended without the target serving (the status posted says how).</summary>
    Failure,
}

/// <summary>The outcome a state posts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OtaEvent>))]
public enum OtaEvent
{
    /// <summary>Idle: the assignment is acceptable and the version is not active yet.</summary>
    Assigned,

    /// <summary>Idle: the target version already serves.</summary>
    AlreadyActive,

    /// <summary>The state did its thing.</summary>
    Succeeded,

    /// <summary>A transient failure (connection, timeout, I/O): the state runs again, counted by the loop counter.</summary>
    Error,

    /// <summary>A permanent failure before the swap (a 4xx, a size the assignment does not state).</summary>
    Failed,

    /// <summary>The device refuses the bundle (unknown model, SHA-256 mismatch, bad or untrusted signature).</summary>
    Rejected,

    /// <summary>Idle (or Activate, for a record persisted before the check existed): the assignment's maintenance window
    /// is not "HH:mm", so the device cannot tell when it may activate; the action is rejected, never retried.</summary>
    WindowMalformed,

    /// <summary>Activate: the store swapped to the target and back (self-test or load failed).</summary>
    RolledBack,

    /// <summary>The state ran more often than the loop counter allows (retries and restarts together).</summary>
    LoopExceeded,
}
