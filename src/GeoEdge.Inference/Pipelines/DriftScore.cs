using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>The drift score: the largest standardized mean shift over the features, max_f min(|live mean_f − ref mean_f| / scale_f, 10).</summary>
/// <remarks>
/// <para>Read it in reference standard deviations: 1 means some feature's live mean sits one training-set standard
/// deviation away from its training mean. The maximum, not the mean over features, so that one sensor's offset among 22
/// (or a scaled cloud's extent among five features) is not averaged away.</para>
/// <para>What counts as drifted: above <see cref="DefaultThreshold"/> (3). Measured on the shipped data: shapes-dgcnn's own
/// replay samples score 0.40 and its test split 0.25 against the validation reference, a stream of one class only up to
/// 1.9, the same clouds scaled x2 score 3.0 to 4.2; sensor-stgnn's recording scores 0.9 to 2.7 per 27-step window (a window
/// sees one time of day, the reference all of them), the recording with every sensor offset by 3 of its std 4.2 to 7.1.
/// Between 1 and 3 the inputs are unusual (a single class, a time of day) rather than from another sensor or scene.</para>
/// <para>Scale: the reference std, but at least 1% of |ref mean| and at least 0.01, so a feature that never varied in the
/// reference (every training cloud had 1024 points) still gives a finite, comparable shift: a 1% change counts as one
/// standard deviation. Each shift is capped at <see cref="MaxShift"/> so the score stays a bounded, chartable number.</para>
/// </remarks>
public static class DriftScore
{
    /// <summary>The score above which inputs count as drifted (the device's default alarm threshold).</summary>
    public const double DefaultThreshold = 3;

    /// <summary>The cap of one feature's shift, in scales.</summary>
    public const double MaxShift = 10;

    /// <summary>The smallest scale, as a fraction of |ref mean| (and at least this value itself).</summary>
    public const double RelativeScaleFloor = 0.01;

    /// <summary>The denominator of <paramref name="reference"/>'s shift: its std, floored (see the remarks).</summary>
    public static double Scale(FeatureStatistics reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Math.Max(reference.Std, RelativeScaleFloor * Math.Max(Math.Abs(reference.Mean), 1));
    }

    /// <summary>One feature's capped standardized shift.</summary>
    public static double Shift(double liveMean, double referenceMean, double scale) =>
        Math.Min(Math.Abs(liveMean - referenceMean) / scale, MaxShift);
}
