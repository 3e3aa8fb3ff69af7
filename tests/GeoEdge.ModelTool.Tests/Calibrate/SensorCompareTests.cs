namespace GeoEdge.ModelTool.Tests.Calibrate;

/// <summary>`compare` on sensor-graph anomaly bundles: the shipped sensor-stgnn against itself, against its pruned-but-not-fine-tuned
/// form, and against a bundle of another task.</summary>
[Trait("Category", "Integration")]
public sealed class SensorCompareTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Bundle => Fixtures.Path("sensor-stgnn", "bundle");

    private static string Validation => Fixtures.Path("sensor-stgnn", "data", "validation.npz");

    private static string Ood => Fixtures.Path("sensor-stgnn", "data", "ood.npz");

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    [Fact]
    public void A_sensor_bundle_passes_against_itself_and_its_unrecovered_pruned_form_fails_on_detection()
    {
        // Half the channels removed and no fine-tuning: detection collapses (0.116 on the test split in bench/RESULTS.md).
        string pruned = _temp.File("pruned");
        Assert.Equal(0, CliRunner.Run("prune", Bundle, "--out", pruned, "--key", Key, "--trusted", Pub, "--structured", "0.5").ExitCode);

        // Latency is not under test (a loaded machine's p99 varies): the ratio limit is out of reach.
        CliResult same = CliRunner.Run("compare", Bundle, Bundle, "--data", Validation, "--ood", Ood, "--max-p99-ratio", "1000", "--trusted", Pub);
        CliResult worse = CliRunner.Run("compare", Bundle, pruned, "--data", Validation, "--max-p99-ratio", "1000", "--trusted", Pub);

        Assert.True(same.ExitCode == 0, same.Stdout + same.Stderr);
        Assert.Contains("gate: pass", same.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"detection_rate\s+old\s+(\d\.\d{4})\s+new\s+\1\s+delta\s+\+0\.0000", same.Stdout);
        Assert.Contains("false_alarm_rate", same.Stdout, StringComparison.Ordinal);
        Assert.Contains("mean_sensor_auroc", same.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"ood_auroc\(drift-max\)\s+old\s+(\d\.\d{4})\s+new\s+\1", same.Stdout);
        Assert.Equal(3, worse.ExitCode);
        Assert.Contains("gate: FAIL (detection_rate", worse.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundles_of_two_tasks_are_refused_with_exit_2()
    {
        CliResult r = CliRunner.Run("compare", Bundle, Fixtures.Path("shapes-dgcnn", "bundle"), "--data", Validation, "--trusted", Pub);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("compare needs two bundles of one task", r.Stderr, StringComparison.Ordinal);
    }
}
