namespace GeoEdge.Inference.Pipelines;

/// <summary>Whether one scored sensor window lies outside the training inputs: the manifest's OOD score, its threshold and the flag.</summary>
/// <param name="Score">The manifest's <c>ood.score</c>: <see cref="SensorOodScore.DriftMax"/> or <see cref="SensorOodScore.DriftRms"/>.</param>
/// <param name="Value">That score of this window.</param>
/// <param name="Threshold">The manifest's <c>ood.threshold</c> (fitted by `geoedge-model calibrate` at 95 % in-distribution recall).</param>
/// <param name="IsOutOfDistribution">Value above the threshold: the window's anomaly scores should not be trusted.</param>
public readonly record struct SensorOodVerdict(string Score, double Value, double Threshold, bool IsOutOfDistribution);
