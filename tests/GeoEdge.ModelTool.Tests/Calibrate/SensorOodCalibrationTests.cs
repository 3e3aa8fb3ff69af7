using System.Globalization;
using System.Text;
using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Tests.Calibrate;

/// <summary>The sensor bundle's per-window OOD rule: the threshold `calibrate` fits (by hand and on a tiny split), and what
/// `evaluate --ood` reports on hand-made OOD sets.</summary>
public sealed class SensorOodCalibrationTests : IDisposable
{
    private const int Sensors = 22, Samples = 64;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Bundle => Fixtures.Path("sensor-stgnn", "bundle");

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    [Fact]
    [Trait("Category", "Unit")]
    public void The_threshold_keeps_95_percent_of_the_validation_windows_and_the_ood_set_decides_between_the_scores()
    {
        // Reference a: mean 10, std 2; b: mean 0, std 1; c: mean 100, std 0 -> scale 1 (1 % of 100). Validation window i
        // (i = 0..19) shifts only a, by i / 8 scales: drift-max i / 8, drift-rms i / (8 sqrt 3). 95 % of 20 = 19 windows at or
        // below the 19th smallest: 18 / 8 = 2.25 (drift-rms 2.25 / sqrt 3).
        DriftReference reference = new()
        {
            Features =
            [
                new FeatureStatistics { Name = "a", Mean = 10, Std = 2 },
                new FeatureStatistics { Name = "b", Mean = 0, Std = 1 },
                new FeatureStatistics { Name = "c", Mean = 100, Std = 0 },
            ],
        };
        double[][] validation = [.. Enumerable.Range(0, 20).Select(i => new double[] { 10 + (2 * (i * 0.125)), 0, 100 })];

        SensorOodFit plain = SensorOodCalibration.Fit(reference, ["a", "b", "c"], validation, null, null);

        Assert.Equal((SensorOodScore.DriftMax, 2.25, 2.25, 20), (plain.Score, plain.Threshold, plain.DriftMaxThreshold, plain.Validation));
        Assert.Equal(2.25 / Math.Sqrt(3), plain.DriftRmsThreshold, 12);
        Assert.Null(plain.Separation);

        // OOD: a shifted 5 scales (above every validation window) and 1 scale (ties window 8: 8 below + 1/2). AUROC
        // (20 + 8.5) / 40 = 0.7125 for both scores (rms is max / sqrt 3 here: the same order); FPR@95 1 of 2 at or below 2.25.
        // A tie goes to drift-max; --score drift-rms writes drift-rms' threshold.
        double[][] ood = [[20, 0, 100], [12, 0, 100]];
        SensorOodFit measured = SensorOodCalibration.Fit(reference, ["a", "b", "c"], validation, ood, null);
        SensorOodFit rms = SensorOodCalibration.Fit(reference, ["a", "b", "c"], validation, ood, SensorOodScore.DriftRms);

        Assert.Equal(new SensorOodSeparation(2, 0.7125, 0.5, 0.7125, 0.5), measured.Separation);
        Assert.Equal(SensorOodScore.DriftMax, measured.Score);
        Assert.Equal((SensorOodScore.DriftRms, rms.DriftRmsThreshold), (rms.Score, rms.Threshold));

        // Where they disagree: validation windows that shift one feature each, [16, 0, 100] (max 3, rms sqrt 3 = 1.73),
        // [10, 2.4, 100] (max 2.4, rms 1.39) and twice [10, 0.9, 100] (0.9, 0.52); the OOD window shifts all three by 1.6
        // (max 1.6 = rms). drift-max ranks it above 2 of 4 (AUROC 0.5), drift-rms above 3 of 4 (0.75): auto writes drift-rms.
        double[][] spread = [[16, 0, 100], [10, 2.4, 100], [10, 0.9, 100], [10, 0.9, 100]];
        double[][] many = [[13.2, 1.6, 101.6]];
        SensorOodFit auto = SensorOodCalibration.Fit(reference, ["a", "b", "c"], spread, many, null);
        Assert.Equal((0.5, 0.75), (auto.Separation!.DriftMaxAuroc, auto.Separation.DriftRmsAuroc));
        Assert.Equal(SensorOodScore.DriftRms, auto.Score);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Calibrating_on_two_hand_made_windows_writes_a_drift_max_threshold_of_exactly_1()
    {
        // Window 0: every sample 10; window 1: 20, 30, 20, ... Per sensor the reference is mean 17.5 / std 7.5 (means 10, 25)
        // and 2.5 / 2.5 (stds 0, 5): both windows sit exactly 1 scale off on every mean and std feature; the missing fraction
        // (0 in both, reference 0 / 0 -> scale 0.01) adds nothing. drift-max = 1 for both, so the threshold at 95 % recall is 1.
        float[] raw = new float[2 * Sensors * Samples];
        for (int s = 0; s < Sensors; s++)
        {
            for (int i = 0; i < Samples; i++)
            {
                raw[(s * Samples) + i] = 10;
                raw[((Sensors + s) * Samples) + i] = i % 2 == 0 ? 20 : 30;
            }
        }

        long[] kind = new long[2 * Sensors];
        kind[Sensors] = 1; // one faulty sensor-window, so the anomaly probability has both labels to fit
        string split = _temp.File("two.npz");
        NpzFile.Write(split, [new("raw", NpyArray.FromFloat32(raw, 2, Sensors, Samples)), new("kind", NpyArray.FromInt64(kind, 2, Sensors)), new("start_s", NpyArray.FromInt64([0, 86400], 2))]);
        string output = _temp.File("calibrated");

        CliResult r = CliRunner.Run("calibrate", Bundle, "--validation", split, "--keep-thresholds", "--out", output, "--key", Key, "--trusted", Pub);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("ood:         drift-max > 1 (95% of 2 validation windows at or below; drift-max 1, drift-rms ", r.Stdout, StringComparison.Ordinal);
        using ModelBundle calibrated = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        Assert.Equal((SensorOodScore.DriftMax, 1.0), (calibrated.Manifest.Ood!.Score, calibrated.Manifest.Ood.Threshold));

        // The device reads it: window 1 scores exactly the threshold (kept), a window 2 scales off is flagged.
        using var pipeline = new SensorGraphAnomaly(calibrated);
        SensorOodVerdict kept = pipeline.ScoreWindow(raw.AsSpan(Sensors * Samples), Epoch).Value!.Ood!.Value;
        float[] off = [.. raw.AsSpan(0, Sensors * Samples)];
        Array.Fill(off, 2.5f, 0, Samples); // sensor 0's mean 2.5: |2.5 - 17.5| / 7.5 = 2
        SensorOodVerdict flagged = pipeline.ScoreWindow(off, Epoch).Value!.Ood!.Value;
        Assert.Equal((1.0, false), (kept.Value, kept.IsOutOfDistribution));
        Assert.Equal((2.0, true), (flagged.Value, flagged.IsOutOfDistribution));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Calibrate_with_the_shipped_ood_set_measures_both_scores_and_writes_drift_max()
    {
        string output = _temp.File("calibrated");

        CliResult r = CliRunner.Run("calibrate", Bundle, "--validation", Data("validation"), "--ood", Data("ood"), "--keep-thresholds", "--out", output, "--key", Key, "--trusted", Pub);

        Assert.True(r.ExitCode == 0, r.Stderr);
        // bench/RESULTS.md "Shipped sensor-stgnn variants" quotes these.
        Assert.Contains("ood set (320 windows): drift-max AUROC 0.9756 FPR@95 0.0625; drift-rms AUROC 0.9521 FPR@95 0.1969", r.Stdout, StringComparison.Ordinal);
        using ModelBundle calibrated = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        Assert.Equal(SensorOodScore.DriftMax, calibrated.Manifest.Ood!.Score);
        Assert.Equal(3.1786, calibrated.Manifest.Ood.Threshold, 4);
        Assert.Equal(320, calibrated.Manifest.Dataset.Sizes!["ood"]);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Evaluate_ood_gives_auroc_1_for_dead_windows_one_half_for_copies_and_their_mix_by_hand()
    {
        // In distribution: tests/fixtures/sensor-eval/tiny.npz (5 windows). OOD: 5 windows of zeros (every temperature
        // 0 degC and humidity 0 %RH: shifts capped at 10, above every test window) and copies of the 5 test windows (the same
        // scores). Dead: AUROC 1, FPR@95 0. Copies: AUROC 1/2 (ties count half), FPR@95 1 (at or below the threshold at
        // the largest test score). All: (25 + 12.5) / 50 = 0.75, FPR@95 5 / 10.
        IReadOnlyDictionary<string, NpyArray> tiny = NpzFile.Read(Fixtures.Path("sensor-eval", "tiny.npz"));
        float[] test = tiny["raw"].AsSpan<float>().ToArray();
        ReadOnlySpan<byte> mask = tiny["mask"].AsSpan<byte>();
        for (int i = 0; i < test.Length; i++)
        {
            test[i] = mask[i] != 0 ? float.NaN : test[i];
        }

        float[] raw = [.. new float[test.Length], .. test];
        long[] start = [.. tiny["start_s"].AsSpan<long>(), .. tiny["start_s"].AsSpan<long>()];
        string ood = _temp.File("hand.npz");
        NpzFile.Write(ood,
        [
            new("raw", NpyArray.FromFloat32(raw, 10, Sensors, Samples)),
            new("kind", NpyArray.FromInt64([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], 10)),
            new("start_s", NpyArray.FromInt64(start, 10)),
            new("kind_names", new NpyArray(NpyDType.UInt8, [9], Encoding.UTF8.GetBytes("dead\ncopy"))),
        ]);
        string dir = _temp.File("report"), output = _temp.File("evaluated");

        CliResult r = CliRunner.Run("evaluate", Bundle, "--data", Fixtures.Path("sensor-eval", "tiny.npz"), "--ood", ood, "--trusted", Pub, "--out", dir,
            "--write-manifest", output, "--key", Key);

        Assert.True(r.ExitCode == 0, r.Stderr);
        string stdout = r.Stdout.ReplaceLineEndings("\n");
        Assert.Contains("ood hand.npz (10 windows): drift-max AUROC 0.7500 FPR@95 0.5000 (drift-max 0.7500 / 0.5000, drift-rms 0.7500 / 0.5000)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("ood kind dead (5 windows): AUROC 1.0000 FPR@95 0.0000\n", stdout, StringComparison.Ordinal);
        Assert.Contains("ood kind copy (5 windows): AUROC 0.5000 FPR@95 1.0000\n", stdout, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json"))))
        {
            // The shipped bundle's manifest threshold (drift-max 3.1786): every dead window above it, the copies exactly as
            // often as the test windows they copy.
            JsonElement o = json.RootElement.GetProperty("ood");
            Assert.Equal(("drift-max", 3.1786), (o.GetProperty("score").GetString(), Math.Round(o.GetProperty("manifestThreshold").GetDouble(), 4)));
            Assert.Equal(0.75, o.GetProperty("auroc").GetDouble());
            JsonElement dead = o.GetProperty("kinds")[0], copy = o.GetProperty("kinds")[1];
            Assert.Equal(("dead", 1.0, 1.0), (dead.GetProperty("kind").GetString(), dead.GetProperty("auroc").GetDouble(), dead.GetProperty("flaggedAtManifestThreshold").GetDouble()));
            Assert.Equal(o.GetProperty("testFlaggedAtManifestThreshold").GetDouble(), copy.GetProperty("flaggedAtManifestThreshold").GetDouble());
        }

        Assert.Contains("| copy | 5 | 0.5000 | 1.0000 | ", File.ReadAllText(Path.Combine(dir, "report.md")), StringComparison.Ordinal);
        using ModelBundle evaluated = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        IReadOnlyDictionary<string, double> m = evaluated.Manifest.Evaluation!.Metrics;
        Assert.Equal((0.75, 0.5, 1.0, 0.0, 0.5, 1.0), (m["oodAuroc"], m["oodFpr95"], m["oodAuroc.dead"], m["oodFpr95.dead"], m["oodAuroc.copy"], m["oodFpr95.copy"]));
        Assert.Equal(10, evaluated.Manifest.Dataset.Sizes!["ood"]);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void An_ood_set_needs_one_kind_per_window_and_a_known_score()
    {
        CliResult perSensor = CliRunner.Run("calibrate", Bundle, "--validation", Data("validation"), "--ood", Data("test"), "--keep-thresholds", "--out", _temp.File("x"), "--key", Key, "--trusted", Pub);
        CliResult energy = CliRunner.Run("calibrate", Bundle, "--validation", Data("validation"), "--score", "energy", "--keep-thresholds", "--out", _temp.File("y"), "--key", Key, "--trusted", Pub);

        Assert.Equal(1, perSensor.ExitCode);
        Assert.Contains("test.npz: an OOD set needs 'kind', int64 [320] (one OOD kind per window)", perSensor.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, energy.ExitCode);
        Assert.Contains("--score 'energy' is not a sensor OOD score (auto, drift-max, drift-rms)", energy.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("x")));
        Assert.False(Directory.Exists(_temp.File("y")));
    }

    private static DateTimeOffset Epoch => new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Data(string split) => Fixtures.Path("sensor-stgnn", "data", split + ".npz");
}
