using System.Text.Json;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Evaluate;

namespace GeoEdge.ModelTool.Tests.Evaluate;

/// <summary>`evaluate` on the sensor-graph anomaly model: detections and false alarms per anomaly kind with the manifest's thresholds.</summary>
public sealed class SensorEvaluationTests : IDisposable
{
    private static readonly string[] Kinds = ["normal", "stuck", "spike", "drift", "dropout", "swap"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Bundle => Fixtures.Path("sensor-stgnn", "bundle");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    [Fact]
    [Trait("Category", "Unit")]
    public void Tally_counts_detections_per_kind_and_false_alarms_in_the_windows_holding_each_kind()
    {
        // 3 windows x 4 sensors. Window 0 clean with one alarm; window 1 a stuck sensor (caught) and a swap pair (one caught)
        // with one normal sensor flagged; window 2 a missed drift.
        long[] kind = [0, 0, 0, 0, /**/ 1, 5, 5, 0, /**/ 0, 3, 0, 0];
        bool[] flag = [false, true, false, false, /**/ true, true, false, true, /**/ false, false, false, false];

        List<KindRates> r = AnomalyTally.Count(kind, flag, 4, Kinds);

        Assert.Equal(new KindRates("normal", 0, 0, 4, 1), r[0]);
        Assert.Equal(new KindRates("stuck", 1, 1, 1, 1), r[1]);
        Assert.Equal(new KindRates("spike", 0, 0, 0, 0), r[2]);
        Assert.Equal(new KindRates("drift", 1, 0, 3, 0), r[3]);
        Assert.Equal(new KindRates("swap", 2, 1, 1, 1), r[5]);
        Assert.Equal((0.5, 1.0), (r[5].DetectionRate, r[5].FalseAlarmRate));
        Assert.Throws<FormatException>(() => AnomalyTally.Count([0, 6, 0, 0], [false, false, false, false], 4, Kinds));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Evaluate_on_five_hand_picked_windows_gives_the_counts_pytorch_scores_give()
    {
        // tests/fixtures/sensor-eval/make_tiny.py picked the windows and printed these counts from PyTorch's scores.
        string dir = _temp.File("report");
        CliResult r = CliRunner.Run("evaluate", Bundle, "--data", Fixtures.Path("sensor-eval", "tiny.npz"), "--trusted", Pub, "--out", dir);

        Assert.True(r.ExitCode == 0, r.Stderr);
        string stdout = r.Stdout.ReplaceLineEndings("\n");
        Assert.Contains("sensor-stgnn 1.0.0 on tiny.npz (5 windows, 110 sensor-windows)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("detection 0.6250 (5/8)  false alarms 0.0098 (1/102)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("kind normal: detected 0/0 (0.0000), false alarms 1/22 (0.0455)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("kind stuck: detected 1/1 (1.0000), false alarms 0/20 (0.0000)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("kind spike: detected 3/3 (1.0000), false alarms 0/59 (0.0000)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("kind drift: detected 0/1 (0.0000), false alarms 0/20 (0.0000)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("kind dropout: detected 1/1 (1.0000), false alarms 0/21 (0.0000)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("kind swap: detected 0/2 (0.0000), false alarms 0/19 (0.0000)\n", stdout, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
        JsonElement spike = json.RootElement.GetProperty("kinds")[2];
        Assert.Equal(("spike", 3, 3, 59), (spike.GetProperty("kind").GetString(), spike.GetProperty("faulty").GetInt32(), spike.GetProperty("detected").GetInt32(), spike.GetProperty("normal").GetInt32()));
        Assert.Contains("| swap | 2 | 0 | 0.0000 | 19 | 0 | 0.0000 |", File.ReadAllText(Path.Combine(dir, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Evaluate_on_the_shipped_test_split_matches_the_training_report_and_writes_the_manifest_summary()
    {
        // training-report.json test.shipped_subset: detection 0.8489, false-alarm rate 0.0101 (PyTorch, same 320 windows).
        string output = _temp.File("evaluated");
        CliResult r = CliRunner.Run("evaluate", Bundle, "--data", Fixtures.Path("sensor-stgnn", "data", "test.npz"), "--trusted", Pub,
            "--write-manifest", output, "--key", Fixtures.Path("dev-keys", "geoedge-dev.key.pem"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("detection 0.8489 (191/225)  false alarms 0.0101 (69/6815)", r.Stdout, StringComparison.Ordinal);
        using ModelBundle evaluated = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        EvaluationSummary e = evaluated.Manifest.Evaluation!;
        Assert.Equal(("test.npz", 320L), (e.Split, e.Samples));
        Assert.Equal(191d / 225, e.Metrics["detectionRate"], 12);
        Assert.Equal(69d / 6815, e.Metrics["falseAlarmRate"], 12);
        Assert.Equal(1.0, e.Metrics["detectionRate.stuck"]);
        Assert.Equal(26d / 3718, e.Metrics["falseAlarmRate.normal"], 12);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Adversarial_and_robustness_on_a_sensor_bundle_are_usage_errors()
    {
        CliResult r = CliRunner.Run("evaluate", Bundle, "--data", Fixtures.Path("sensor-eval", "tiny.npz"), "--robustness", "quick", "--trusted", Pub);

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("geoedge-model: --adversarial and --robustness apply to point-cloud classifiers", r.Stderr, StringComparison.Ordinal);
    }
}
