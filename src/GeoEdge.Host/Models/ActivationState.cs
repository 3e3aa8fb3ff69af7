namespace GeoEdge.Host.Models;

/// <summary>The named states of a model activation, in the order a successful one passes them.</summary>
public enum ActivationState
{
    /// <summary>Re-verify the installed bundle (signature, manifest, every file hash) against the trusted keys.</summary>
    Verify,

    /// <summary>Build the task's pipeline from the bundle (ONNX Runtime session, buffers).</summary>
    Load,

    /// <summary>Run the pipeline once so first-run costs are paid before it serves.</summary>
    WarmUp,

    /// <summary>Run the pipeline on its reference input and check the outputs.</summary>
    SelfTest,

    /// <summary>Install the new pipeline in the model's slot; in-flight inferences finish on the old one.</summary>
    Swap,

    /// <summary>Record the target as active (previous = the old active).</summary>
    Commit,

    /// <summary>Undo: the old active stays (or is put back into the slot), the failure reason is recorded.</summary>
    Rollback,

    /// <summary>Terminal: nothing is in progress.</summary>
    Done,
}

/// <summary>What a state posts when its one side effect has run.</summary>
public enum ActivationOutcome
{
    Succeeded,
    Failed,
}
