namespace GeoEdge.Inference.Pipelines;

/// <summary>One classified point cloud: the label, its calibrated confidence, the top classes, the OOD verdict and where the time went.</summary>
/// <param name="Label">Index of the most probable class.</param>
/// <param name="LabelName">The manifest's name of that class (its index as text when the manifest has no labels).</param>
/// <param name="Confidence">softmax(logits / T) of that class, T being the manifest's calibration temperature (1 when absent).</param>
/// <param name="TopK">The most probable classes, most probable first.</param>
/// <param name="Ood">Out-of-distribution score and verdict.</param>
/// <param name="InputPoints">Points given, before any was dropped.</param>
/// <param name="DroppedNonFinite">Points dropped for a NaN or infinite coordinate (within the manifest's allowance).</param>
/// <param name="RemovedOutliers">Points removed by statistical outlier removal (0 when the manifest asks for none).</param>
/// <param name="Logits">The model's raw logits for this cloud (a copy).</param>
/// <param name="Timings">Microseconds per stage.</param>
public sealed record CloudClassification(
    int Label,
    string LabelName,
    double Confidence,
    IReadOnlyList<ClassProbability> TopK,
    OodAssessment Ood,
    int InputPoints,
    int DroppedNonFinite,
    int RemovedOutliers,
    float[] Logits,
    PointCloudTimings Timings)
{
    /// <summary>The cloud's drift features (what <see cref="PointCloudClassification.Drift"/> recorded).</summary>
    public CloudDriftFeatures Input { get; init; }

    public override string ToString() => $"{LabelName} ({Confidence:P1}){(Ood.IsOutOfDistribution ? " out of distribution" : string.Empty)}";
}

/// <summary>One class and its calibrated probability.</summary>
public readonly record struct ClassProbability(int Index, string Name, double Probability);

/// <summary>Microseconds spent in each stage of <see cref="PointCloudClassification"/>, from Stopwatch timestamps.</summary>
public sealed record PointCloudTimings(
    double ValidateUs,
    double OutlierRemovalUs,
    double SamplingUs,
    double NormalizeUs,
    double KnnUs,
    double RunUs,
    double PostprocessUs)
{
    public double TotalUs => ValidateUs + OutlierRemovalUs + SamplingUs + NormalizeUs + KnnUs + RunUs + PostprocessUs;
}
