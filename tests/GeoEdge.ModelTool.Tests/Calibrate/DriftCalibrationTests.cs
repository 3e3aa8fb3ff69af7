using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Calibrate;

namespace GeoEdge.ModelTool.Tests.Calibrate;

/// <summary>The drift reference calibrate writes: the statistics by hand, and a sensor bundle calibrated on a tiny hand-made split.</summary>
public sealed class DriftCalibrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Unit")]
    public void The_reference_is_mean_population_std_min_and_max_per_feature_skipping_non_finite_values()
    {
        // x: 1, 3, 5 -> mean 3, variance (4 + 0 + 4) / 3. y: 4, 8 (the NaN skipped) -> mean 6, std 2. z: never finite -> left out.
        double[][] rows = [[1, double.NaN, double.NaN], [3, 4, double.PositiveInfinity], [5, 8, double.NaN]];

        DriftReference r = DriftReferenceFit.Fit(["x", "y", "z"], rows);
        string json = DriftReferenceFit.ToJson(r).ToJsonString();

        Assert.Equal(3, r.Samples);
        Assert.Equal(["x", "y"], r.Features.Select(f => f.Name));
        Assert.Equal((3.0, Math.Sqrt(8.0 / 3), 1.0, 5.0), Tuple(r.Features[0]));
        Assert.Equal((6.0, 2.0, 4.0, 8.0), Tuple(r.Features[1]));
        string std = Math.Sqrt(8.0 / 3).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("{\"samples\":3,\"features\":[{\"name\":\"x\",\"mean\":3,\"std\":" + std + ",\"min\":1,\"max\":5},{\"name\":\"y\",\"mean\":6,\"std\":2,\"min\":4,\"max\":8}]}", json);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Calibrating_a_sensor_bundle_on_two_hand_made_windows_writes_their_drift_statistics_and_the_device_reads_them()
    {
        // 2 windows x 22 sensors x 64 samples. Window 0: every sample 10. Window 1: 20, 30, 20, 30, ... and sensor 0's first
        // two samples missing. Per sensor: window means 10 and 25, stds 0 and 5; missing fraction 0 and 2 / 1408.
        const int sensors = 22, t = 64;
        float[] raw = new float[2 * sensors * t];
        for (int s = 0; s < sensors; s++)
        {
            for (int i = 0; i < t; i++)
            {
                raw[(s * t) + i] = 10;
                raw[((sensors + s) * t) + i] = i % 2 == 0 ? 20 : 30;
            }
        }

        raw[sensors * t] = float.NaN;
        raw[(sensors * t) + 1] = float.NaN;
        string split = _temp.File("tiny.npz");
        NpzFile.Write(split, [new("raw", NpyArray.FromFloat32(raw, 2, sensors, t)), new("kind", NpyArray.FromInt64(new long[2 * sensors], 2, sensors))]);
        string output = _temp.File("calibrated");

        CliResult r = CliRunner.Run("calibrate", Fixtures.Path("sensor-stgnn", "bundle"), "--validation", split, "--drift-only", "--out", output, "--key", Key, "--trusted", Pub);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("drift reference: 45 features over 2 samples", r.Stdout, StringComparison.Ordinal);
        using ModelBundle calibrated = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        DriftReference drift = calibrated.Manifest.Drift!;
        Assert.Equal(2, drift.Samples);
        Assert.Equal(45, drift.Features.Count);
        Assert.Equal("temp_r1.mean", drift.Features[0].Name);
        Assert.Equal((17.5, 7.5, 10.0, 25.0), Tuple(drift.Features[0]));
        Assert.Equal("temp_r1.std", drift.Features[1].Name);
        Assert.Equal((2.5, 2.5, 0.0, 5.0), Tuple(drift.Features[1]));
        Assert.Equal("vib_server.mean", drift.Features[42].Name);
        Assert.Equal((17.5, 7.5, 10.0, 25.0), Tuple(drift.Features[42]));
        Assert.Equal(SensorDriftFeatures.MissingFraction, drift.Features[44].Name);
        Assert.Equal(1.0 / 1408, drift.Features[44].Mean, 15);
        Assert.Equal(1.0 / 1408, drift.Features[44].Std, 15);
        Assert.Equal((0.0, 2.0 / 1408), (drift.Features[44].Min!.Value, drift.Features[44].Max!.Value));
        Assert.Equal(2, calibrated.Manifest.Dataset.Sizes!["validation"]);

        // The device pipeline builds its monitor from it: window 1 again is 25 - 17.5 = 7.5 / 7.5 = 1 std away on every mean.
        using var pipeline = new SensorGraphAnomaly(calibrated);
        Assert.Equal(45, pipeline.Drift!.Features.Count);
        Assert.True(pipeline.ScoreWindow(raw.AsSpan(sensors * t), SensorEvaluationEpoch).IsSuccess);
        Assert.Equal(1, pipeline.Drift.TakeWindowScore()!.Value, 12);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Drift_only_calibration_of_the_shapes_bundle_on_two_hand_made_clouds_writes_their_statistics_and_nothing_else()
    {
        // Cloud 0: the 8 corners of [9, 11] x [-1, 1] x [-1, 1], each 128 times (1024 points: no sampling): extent sqrt(12),
        // centroid (10, 0, 0), spread sqrt(3). Cloud 1: the same scaled x2 about the origin: extent 2 sqrt(12), range 20.
        float[] pos = new float[2 * 1024 * 3];
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < 1024; i++)
            {
                int corner = i % 8;
                float[] p = [corner % 2 == 0 ? 9 : 11, (corner / 2) % 2 == 0 ? -1 : 1, corner / 4 == 0 ? -1 : 1];
                for (int k = 0; k < 3; k++)
                {
                    pos[(((c * 1024) + i) * 3) + k] = p[k] * (c + 1);
                }
            }
        }

        string split = _temp.File("two.npz");
        NpzFile.Write(split, [new("pos", NpyArray.FromFloat32(pos, 2, 1024, 3)), new("label", NpyArray.FromInt64([0, 1], 2))]);
        string output = _temp.File("drift-only");

        CliResult r = CliRunner.Run("calibrate", Fixtures.Path("shapes-dgcnn", "bundle"), "--validation", split, "--drift-only", "--out", output, "--key", Key, "--trusted", Pub);

        Assert.True(r.ExitCode == 0, r.Stderr);
        using ModelBundle calibrated = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        DriftReference drift = calibrated.Manifest.Drift!;
        double d = Math.Sqrt(12);
        Assert.Equal(2, drift.Samples);
        Assert.Equal(CloudDriftFeatures.Names, drift.Features.Select(f => f.Name));
        Assert.Equal((1024.0, 0.0, 1024.0, 1024.0), Tuple(drift.Features[0]));
        Assert.Equal((0.0, 0.0, 0.0, 0.0), Tuple(drift.Features[1]));
        AssertClose((1.5 * d, 0.5 * d, d, 2 * d), Tuple(drift.Features[2]));
        AssertClose((15.0, 5.0, 10.0, 20.0), Tuple(drift.Features[3]));
        AssertClose((Math.Sqrt(3), 0.0, Math.Sqrt(3), Math.Sqrt(3)), Tuple(drift.Features[4]));
        Assert.Null(calibrated.Manifest.Calibration); // the shipped bundle has none, and --drift-only fits none
        Assert.Null(calibrated.Manifest.Ood);
        Assert.Equal(2, calibrated.Manifest.Dataset.Sizes!["validation"]);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Drift_only_takes_no_ood_split()
    {
        CliResult r = CliRunner.Run("calibrate", Fixtures.Path("sensor-stgnn", "bundle"), "--validation", Fixtures.Path("sensor-stgnn", "data", "validation.npz"),
            "--ood", Fixtures.Path("sensor-stgnn", "data", "ood.npz"), "--drift-only", "--out", _temp.File("x"), "--key", Key, "--trusted", Pub);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--ood fits the OOD threshold, which --drift-only leaves alone", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("x")));
    }

    private static DateTimeOffset SensorEvaluationEpoch => new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    private static (double Mean, double Std, double Min, double Max) Tuple(FeatureStatistics f) => (f.Mean, f.Std, f.Min!.Value, f.Max!.Value);

    private static void AssertClose((double, double, double, double) expected, (double, double, double, double) actual)
    {
        Assert.Equal(expected.Item1, actual.Item1, 12);
        Assert.Equal(expected.Item2, actual.Item2, 12);
        Assert.Equal(expected.Item3, actual.Item3, 12);
        Assert.Equal(expected.Item4, actual.Item4, 12);
    }
}
