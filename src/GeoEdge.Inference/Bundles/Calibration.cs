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

    /// <summary>Shared feature covariance (or its inverse, as <see cref="CovarianceIsInverse"/> says), [features][features], inline;
    /// the older form, kept readable. New bundles use <see cref="PrecisionFile"/>.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Covariance { get; init; }

    public bool? CovarianceIsInverse { get; init; }

    /// <summary>Bundle file (listed in <c>files</c>, so hashed and signed) holding the inverse covariance as float32 .npy [features, features].</summary>
    /// <remarks>A 256-wide matrix is ~2 MB of JSON numbers but 256 KiB of .npy, read without parsing text; exclusive with <see cref="Covariance"/>.</remarks>
    public string? PrecisionFile { get; init; }
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
