namespace GeoEdge.Inference.Pipelines;

/// <summary>Why a pipeline refused an input: one countable value per guard, so callers and metrics can tally rejections.</summary>
public enum RejectionReason
{
    /// <summary>Not a rejection: the input (or reading) was accepted.</summary>
    None = 0,

    /// <summary>The input's length or layout does not fit the model's tensor (e.g. a position buffer not a multiple of 3, a batched cloud).</summary>
    WrongShape,

    /// <summary>More NaN/infinite points than the manifest's guard allows (fewer are dropped and counted).</summary>
    NonFinitePoints,

    /// <summary>Fewer usable points than the model's sample size, and the manifest does not allow repeating points.</summary>
    TooFewPoints,

    /// <summary>A coordinate lies outside the manifest's bounds.</summary>
    OutOfBounds,

    /// <summary>More identical points than the manifest's guard allows (a stuck or saturated sensor).</summary>
    DuplicateFlood,

    /// <summary>A sensor id the model does not know.</summary>
    UnknownSensor,

    /// <summary>A sensor reading that is NaN or infinite.</summary>
    NonFiniteValue,

    /// <summary>A sensor reading outside the sensor's physical range in the manifest.</summary>
    ValueOutOfRange,

    /// <summary>A sensor reading older than the oldest sample its ring buffer still holds.</summary>
    TooLate,
}
