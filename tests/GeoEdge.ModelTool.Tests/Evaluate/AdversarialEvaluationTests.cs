using System.Text.Json;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Tests.Evaluate;

/// <summary>`evaluate --adversarial`: accuracy on the recipe's PGD test set (models/shapes-dgcnn/data/adversarial.npz).</summary>
[Trait("Category", "Integration")]
public sealed class AdversarialEvaluationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Data(string split) => Fixtures.Path("shapes-dgcnn", "data", $"{split}.npz");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    [Fact]
    public void Accuracy_on_the_pgd_split_equals_pytorchs_and_goes_into_json_markdown_and_manifest()
    {
        string dir = _temp.File("eval");
        string written = _temp.File("with-evaluation");

        CliResult r = CliRunner.Run("evaluate", Fixtures.Path("shapes-dgcnn", "bundle"), "--data", Data("test"), "--adversarial", Data("adversarial"),
            "--robustness", "off", "--out", dir, "--trusted", Pub, "--write-manifest", written, "--key", Fixtures.Path("dev-keys", "geoedge-dev.key.pem"));

        // data/adversarial.json (the recipe): PyTorch accuracy clean 0.8542 -> adversarial 0.4375 = 105 of 240 clouds.
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("adversarial adversarial.npz (240 clouds, eps 0.02, 10 steps): accuracy 0.4375", r.Stdout, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
        JsonElement adv = json.RootElement.GetProperty("adversarial");
        Assert.Equal((105d / 240, 240, 10), (adv.GetProperty("accuracy").GetDouble(), adv.GetProperty("samples").GetInt32(), adv.GetProperty("steps").GetInt32()));
        Assert.Equal(0.02, adv.GetProperty("epsilon").GetDouble(), 6);
        Assert.Contains("| accuracy on adversarial adversarial.npz (240, L-inf eps 0.02, 10 PGD steps) | 0.4375 |", File.ReadAllText(Path.Combine(dir, "report.md")), StringComparison.Ordinal);
        using ModelBundle b = ModelBundle.Open(written, TrustedKeys.FromPemFiles(Pub));
        Assert.Equal(105d / 240, b.Manifest.Evaluation!.Metrics["adversarialAccuracy"], 12);
    }
}
