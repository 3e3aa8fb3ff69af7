using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Pipelines;

/// <summary>The manifest's out-of-distribution rule: which score decides, against which threshold, and in which direction.</summary>
internal sealed class OodRule
{
    public const string EnergyScore = "energy";
    public const string MahalanobisScore = "mahalanobis";
    public const string MaxSoftmaxScore = "max-softmax";

    private OodRule(string score, double? threshold, MahalanobisScorer? mahalanobis)
    {
        Score = score;
        Threshold = threshold;
        Mahalanobis = mahalanobis;
    }

    public string Score { get; }

    public double? Threshold { get; }

    /// <summary>Present when the manifest has class means and a precision matrix or covariance (whatever score decides).</summary>
    public MahalanobisScorer? Mahalanobis { get; }

    public static OodRule Read(ModelBundle bundle, ManifestFields fields)
    {
        OodDetector? ood = fields.Manifest.Ood;
        if (ood is null)
        {
            return new OodRule(EnergyScore, null, null);
        }

        if (ood.Score is not (EnergyScore or MahalanobisScore or MaxSoftmaxScore))
        {
            fields.Fail("$.ood.score", $"'{ood.Score}' is not supported ({EnergyScore}, {MahalanobisScore}, {MaxSoftmaxScore})");
        }

        MahalanobisScorer? mahalanobis = MahalanobisScorer.HasStatistics(ood) ? MahalanobisScorer.Create(bundle, ood, fields) : null;
        return new OodRule(ood.Score, ood.Threshold, mahalanobis);
    }

    public OodAssessment Assess(double energy, double maxProbability, double? distance)
    {
        double value = Score switch
        {
            MahalanobisScore => distance!.Value,
            MaxSoftmaxScore => maxProbability,
            _ => energy,
        };
        bool flagged = Threshold is double t && (Score == MaxSoftmaxScore ? value < t : value > t);
        return new OodAssessment(Score, value, Threshold, flagged, energy, distance);
    }
}
