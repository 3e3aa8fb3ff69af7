namespace GeoEdge.Inference.Bundles;

/// <summary>Temperature scaling fitted after training: probabilities are softmax(logits / temperature).</summary>
public sealed record Calibration
{
    public required double Temperature { get; init; }
}

/// <summary>Out-of-distribution guard: which score, its threshold, and the statistics a Mahalanobis score needs.</summary>
public sealed record OodDetector
{
    /// <summary>"energy", "max-softmax", "mahalanobis" or another score name.</summary>
    public required string Score { get; init; }

    /// <summary>Inputs scoring beyond this are out of distribution (direction fixed by the score).</summary>
    public required double Threshold { get; init; }

    /// <summary>Per-class feature means, [classes][features]; required for "mahalanobis".</summary>
    public IReadOnlyList<IReadOnlyList<double>>? ClassMeans { get; init; }

    /// <summary>Shared feature covariance (or its inverse, as <see cref="CovarianceIsInverse"/> says), [features][features].</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Covariance { get; init; }

    public bool? CovarianceIsInverse { get; init; }
}

/// <summary>Reference statistics of the training inputs, compared with live inputs to detect drift.</summary>
public sealed record DriftReference
{
    /// <summary>How many training samples the statistics summarise.</summary>
    public long? Samples { get; init; }

    public required IReadOnlyList<FeatureStatistics> Features { get; init; }
}

/// <summary>Mean, standard deviation and range of one input feature over the training set.</summary>
public sealed record FeatureStatistics
{
    public required string Name { get; init; }

    public required double Mean { get; init; }

    public required double Std { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }
}
