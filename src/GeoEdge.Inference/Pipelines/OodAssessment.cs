namespace GeoEdge.Inference.Pipelines;

/// <summary>How far one input lies from the training data: the manifest's score, its threshold and the resulting flag.</summary>
/// <param name="Score">"energy" (default), "mahalanobis" or "max-softmax": the score the flag is decided on.</param>
/// <param name="Value">That score's value for this input.</param>
/// <param name="Threshold">The manifest's threshold; null when the manifest has no OOD section (never flagged).</param>
/// <param name="IsOutOfDistribution">Energy and Mahalanobis: value above the threshold; max-softmax: value below it.</param>
/// <param name="Energy">-T * logsumexp(logits / T), always computed.</param>
/// <param name="MahalanobisDistance">Distance of the embedding to the nearest class mean, when the manifest has class means and covariance.</param>
public sealed record OodAssessment(string Score, double Value, double? Threshold, bool IsOutOfDistribution, double Energy, double? MahalanobisDistance);
