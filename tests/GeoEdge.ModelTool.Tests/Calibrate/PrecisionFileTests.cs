using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Calibrate;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Tests.Calibrate;

/// <summary>calibrate's precision file against the older inline covariance form of the same fit, on the shipped test split.</summary>
[Trait("Category", "Integration")]
public sealed class PrecisionFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Data(string split) => Fixtures.Path("shapes-dgcnn", "data", $"{split}.npz");

    [Fact]
    public void The_file_form_scores_the_test_split_like_the_inline_covariance_to_1e_5_relative()
    {
        TrustedKeys trusted = TrustedKeys.FromPemFiles(Fixtures.Path("dev-keys", "geoedge-dev.pub.pem"));

        // The shipped variants are calibrated on the large validation split, which is not in git: calibrate here on the committed one.
        string calibrated = _temp.File("calibrated");
        CliResult r = CliRunner.Run("calibrate", Fixtures.Path("shapes-dgcnn", "bundle"), "--validation", Data("validation"), "--ood", Data("ood"),
            "--score", "mahalanobis", "--out", calibrated, "--key", Fixtures.Path("dev-keys", "geoedge-dev.key.pem"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        using ModelBundle file = ModelBundle.Open(calibrated, trusted);
        Assert.Equal(PrecisionFile.Name, file.Manifest.Ood!.PrecisionFile);
        using var runner = new CloudRunner(file);

        // Refit what calibrate fitted (same runner, same validation split), then write it the older way: covariance inline.
        CloudDataset validation = CloudDataset.Load(Data("validation"));
        double[][] embeddings = [.. validation.Clouds.Select(c => runner.Run(c).Embedding!)];
        MahalanobisFit fit = MahalanobisFit.Fit(embeddings, validation.Labels, runner.Classes);
        Assert.Equal(file.Manifest.Ood!.ClassMeans!.Select(r => r.ToArray()), fit.Means);
        string inlinePath = _temp.File("inline");
        using (System.Security.Cryptography.ECDsa key = BundleSigningKey.LoadPem(Fixtures.Path("dev-keys", "geoedge-dev.key.pem")))
        {
            BundleRewriter.Rewrite(file, manifest =>
            {
                JsonObject ood = manifest["ood"]!.AsObject();
                ood.Remove("precisionFile");
                ood["covariance"] = BundleRewriter.Matrix(fit.Covariance);
                ood["covarianceIsInverse"] = false;
            }, key, inlinePath, TimeProvider.System, dropped: [PrecisionFile.Name]);
        }

        using ModelBundle inline = ModelBundle.Open(inlinePath, trusted);
        Assert.DoesNotContain(PrecisionFile.Name, inline.Manifest.Files.Keys);
        Assert.True(new FileInfo(Path.Combine(inlinePath, "manifest.json")).Length > 1_000_000, "the inline form is the ~2 MB manifest");
        MahalanobisScorer fromFile = MahalanobisScorer.FromBundle(file)!;
        MahalanobisScorer fromInline = MahalanobisScorer.FromBundle(inline)!;
        CloudDataset test = CloudDataset.Load(Data("test"));
        Assert.Equal(240, test.Count);
        foreach (Geometry.PointCloud cloud in test.Clouds)
        {
            double[] e = runner.Run(cloud).Embedding!;
            double expected = fromInline.Distance(e), actual = fromFile.Distance(e);
            Assert.True(Math.Abs(actual - expected) <= 1e-5 * expected, $"file form {actual}, inline {expected}");
        }
    }
}
