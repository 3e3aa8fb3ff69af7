namespace GeoEdge.Inference.Pipelines;

/// <summary>A refused input: the countable reason and a human-readable detail naming the offending value.</summary>
public sealed record PipelineRejection(RejectionReason Reason, string Detail)
{
    public override string ToString() => $"{Reason}: {Detail}";
}

/// <summary>What a pipeline returns for one input: a value, or the rejection that stopped it; bad data never throws.</summary>
public sealed class PipelineResult<T>
    where T : class
{
    private PipelineResult(T? value, PipelineRejection? rejection)
    {
        Value = value;
        Rejection = rejection;
    }

    /// <summary>The result; null exactly when <see cref="Rejection"/> is set.</summary>
    public T? Value { get; }

    public PipelineRejection? Rejection { get; }

    public bool IsSuccess => Rejection is null;

    /// <summary><see cref="RejectionReason.None"/> for a success.</summary>
    public RejectionReason Reason => Rejection?.Reason ?? RejectionReason.None;

    public static PipelineResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static PipelineResult<T> Rejected(RejectionReason reason, string detail) => new(null, new PipelineRejection(reason, detail));

    public override string ToString() => Rejection?.ToString() ?? $"ok: {Value}";
}
