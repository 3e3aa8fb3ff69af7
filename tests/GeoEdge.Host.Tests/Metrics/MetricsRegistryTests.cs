using GeoEdge.Host.Metrics;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Metrics;

[Trait("Category", "Unit")]
public sealed class MetricsRegistryTests
{
    private static readonly (string, string)[] Shapes = [("pipeline", "shapes"), ("model", "shapes-dgcnn"), ("version", "1.0.0")];

    [Fact]
    public void Recorded_classifications_come_back_as_exact_counters_and_cumulative_histograms()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("no-thermal"), dir.File("no-status")));
        PipelineMetrics m = registry.ForPipeline("shapes", "shapes-dgcnn", "1.0.0", PipelineKind.PointCloud);

        // run: 2000 µs and 30000 µs; guards: exactly on the first bound (100 µs) and above the last (12 s).
        m.Record(Classified(validateUs: 100, runUs: 2000, ood: false));
        m.Record(Classified(validateUs: 12_000_000, runUs: 30_000, ood: true));
        m.Record(PipelineResult<CloudClassification>.Rejected(RejectionReason.TooFewPoints, "12 points < 1024"));
        m.Record(PipelineResult<CloudClassification>.Rejected(RejectionReason.TooFewPoints, "3 points < 1024"));
        m.Record(PipelineResult<CloudClassification>.Rejected(RejectionReason.OutOfBounds, "x = 99 > 28"));

        PrometheusText p = PrometheusText.Parse(registry.ToText());

        Assert.Equal(2, p.Value("geoedge_inferences_total", Shapes));
        Assert.Equal(2, p.Value("geoedge_rejections_total", [.. Shapes, ("reason", "TooFewPoints")]));
        Assert.Equal(1, p.Value("geoedge_rejections_total", [.. Shapes, ("reason", "OutOfBounds")]));
        Assert.Equal(0, p.Value("geoedge_rejections_total", [.. Shapes, ("reason", "DuplicateFlood")]));
        Assert.Equal(1, p.Value("geoedge_ood_total", Shapes));
        Assert.Equal(0, p.Value("geoedge_anomalies_total", Shapes));

        (string, string)[] run = [.. Shapes, ("stage", "run")];
        Assert.Equal(0, p.Value("geoedge_stage_latency_seconds_bucket", [.. run, ("le", "0.001")]));
        Assert.Equal(1, p.Value("geoedge_stage_latency_seconds_bucket", [.. run, ("le", "0.0025")]));
        Assert.Equal(1, p.Value("geoedge_stage_latency_seconds_bucket", [.. run, ("le", "0.025")]));
        Assert.Equal(2, p.Value("geoedge_stage_latency_seconds_bucket", [.. run, ("le", "0.05")]));
        Assert.Equal(2, p.Value("geoedge_stage_latency_seconds_bucket", [.. run, ("le", "+Inf")]));
        Assert.Equal(0.032, p.Value("geoedge_stage_latency_seconds_sum", run));
        Assert.Equal(2, p.Value("geoedge_stage_latency_seconds_count", run));

        (string, string)[] guards = [.. Shapes, ("stage", "guards")];
        Assert.Equal(1, p.Value("geoedge_stage_latency_seconds_bucket", [.. guards, ("le", "0.0001")]));
        Assert.Equal(1, p.Value("geoedge_stage_latency_seconds_bucket", [.. guards, ("le", "10")]));
        Assert.Equal(2, p.Value("geoedge_stage_latency_seconds_bucket", [.. guards, ("le", "+Inf")]));
        Assert.Equal(12.0001, p.Value("geoedge_stage_latency_seconds_sum", guards));

        // total = the sum of the stages: 100+10+20+30+40+2000+50 and 12000000+10+20+30+40+30000+50 µs.
        (string, string)[] total = [.. Shapes, ("stage", "total")];
        Assert.Equal(12.0324, p.Value("geoedge_stage_latency_seconds_sum", total), 12);
        Assert.Equal(1, p.Value("geoedge_stage_latency_seconds_bucket", [.. total, ("le", "0.0025")]));

        // A point-cloud pipeline times exactly its seven stages plus total; each histogram has 16 bounds + +Inf.
        string[] stages = p.Samples.Where(s => s.Name == "geoedge_stage_latency_seconds_count").Select(s => s.Labels["stage"]).ToArray();
        Assert.Equal(["guards", "outlier", "sample", "normalize", "knn", "run", "postprocess", "total"], stages);
        Assert.Equal(17, p.Samples.Count(s => s.Name == "geoedge_stage_latency_seconds_bucket" && s.Labels["stage"] == "knn"));
        Assert.Equal("histogram", p.Types["geoedge_stage_latency_seconds"]);
        Assert.Equal("counter", p.Types["geoedge_rejections_total"]);
    }

    [Fact]
    public void Sensor_windows_count_flagged_sensors_and_time_their_own_stages()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("none"), dir.File("none")));
        PipelineMetrics m = registry.ForPipeline("greenhouse", "sensor-stgnn", "2.1.0", PipelineKind.SensorGraph);
        SensorScore[] sensors =
        [
            new(0, "temp_r1", 3.5f, 1f, true, 0, SensorImputation.None, 0),
            new(1, "rh_r1", 0.1f, 1f, false, 0, SensorImputation.None, 0),
            new(2, "temp_r2", 2.5f, 1f, true, 2, SensorImputation.ForwardFilled, 0),
        ];
        m.Record(PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(DateTimeOffset.UnixEpoch, sensors, new SensorTimings(5, 6, 700, 9))));
        m.Record(PipelineResult<SensorWindowScores>.Success(new SensorWindowScores(DateTimeOffset.UnixEpoch, [sensors[1]], new SensorTimings(5, 6, 700, 9))
        {
            Ood = new SensorOodVerdict("drift-max", 9.5, 3.2, true),
        }));
        m.Record(PipelineResult<SensorWindowScores>.Rejected(RejectionReason.UnknownSensor, "sensor 'x'"));

        PrometheusText p = PrometheusText.Parse(registry.ToText());
        (string, string)[] labels = [("pipeline", "greenhouse"), ("model", "sensor-stgnn"), ("version", "2.1.0")];
        Assert.Equal(2, p.Value("geoedge_anomalies_total", labels));
        Assert.Equal(2, p.Value("geoedge_inferences_total", labels));
        Assert.Equal(1, p.Value("geoedge_ood_total", labels));
        Assert.Equal(1, p.Value("geoedge_rejections_total", [.. labels, ("reason", "UnknownSensor")]));
        Assert.Equal(0.00144, p.Value("geoedge_stage_latency_seconds_sum", [.. labels, ("stage", "total")]), 12);
        Assert.Equal(0.0014, p.Value("geoedge_stage_latency_seconds_sum", [.. labels, ("stage", "run")]), 12);
        string[] stages = p.Samples.Where(s => s.Name == "geoedge_stage_latency_seconds_count").Select(s => s.Labels["stage"]).ToArray();
        Assert.Equal(["window", "encode", "run", "postprocess", "total"], stages);
    }

    [Fact]
    public void Active_model_and_execution_provider_are_info_style_gauges()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("none"), dir.File("none")));
        registry.SetActiveModel("shapes-dgcnn", "1.0.0");
        registry.SetActiveModel("sensor-stgnn", "2.0.0");
        registry.SetActiveModel("shapes-dgcnn", "1.1.0");
        registry.SetExecutionProvider("cpu");

        string text = registry.ToText();

        Assert.Contains("# TYPE geoedge_model_active gauge\ngeoedge_model_active{model=\"sensor-stgnn\",version=\"2.0.0\"} 1\ngeoedge_model_active{model=\"shapes-dgcnn\",version=\"1.1.0\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\ngeoedge_execution_provider{provider=\"cpu\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1.0.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_memory_cpu_and_thermal_zones_are_read_from_the_given_roots()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("status"), "Name:\tgeoedge\nVmPeak:\t  99999 kB\nVmRSS:\t   12345 kB\nThreads:\t7\n");
        Directory.CreateDirectory(dir.File("thermal", "thermal_zone0"));
        File.WriteAllText(dir.File("thermal", "thermal_zone0", "temp"), "45250\n");
        File.WriteAllText(dir.File("thermal", "thermal_zone0", "type"), "cpu-thermal\n");
        Directory.CreateDirectory(dir.File("thermal", "thermal_zone10"));
        File.WriteAllText(dir.File("thermal", "thermal_zone10", "temp"), "-5000\n");
        Directory.CreateDirectory(dir.File("thermal", "thermal_zone2"));
        File.WriteAllText(dir.File("thermal", "thermal_zone2", "temp"), "not a number\n");
        Directory.CreateDirectory(dir.File("thermal", "cooling_device0"));

        var registry = new MetricsRegistry(new ProcessSampler(dir.File("thermal"), dir.File("status")));
        PrometheusText p = PrometheusText.Parse(registry.ToText());

        Assert.Equal(12345 * 1024, p.Value("geoedge_process_resident_memory_bytes"));
        Assert.True(p.Value("geoedge_process_cpu_seconds_total") > 0);
        Assert.Equal(45.25, p.Value("geoedge_board_temperature_celsius", ("zone", "thermal_zone0"), ("type", "cpu-thermal")));
        Assert.Equal(-5, p.Value("geoedge_board_temperature_celsius", ("zone", "thermal_zone10"), ("type", "")));
        Assert.Equal(2, p.Samples.Count(s => s.Name == "geoedge_board_temperature_celsius"));
    }

    [Fact]
    public void Without_thermal_zones_or_procfs_the_temperature_family_is_absent_and_memory_falls_back_to_the_working_set()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("none"), dir.File("none")));
        PrometheusText p = PrometheusText.Parse(registry.ToText());
        Assert.False(p.Types.ContainsKey("geoedge_board_temperature_celsius"));
        Assert.True(p.Value("geoedge_process_resident_memory_bytes") > 1024 * 1024);
    }

    [Fact]
    public void Every_family_has_help_and_type_and_every_sample_belongs_to_a_declared_family()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("none"), dir.File("none")));
        registry.ForPipeline("shapes", "shapes-dgcnn", "1.0.0", PipelineKind.PointCloud).Record(Classified(1, 1, false));
        registry.ForPipeline("greenhouse", "sensor-stgnn", "2.1.0", PipelineKind.SensorGraph);
        registry.SetActiveModel("shapes-dgcnn", "1.0.0");
        string text = registry.ToText();
        PrometheusText p = PrometheusText.Parse(text);

        Assert.Equal(p.Types.Keys.Order(), p.Help.Keys.Order());
        foreach ((string name, _, _) in p.Samples)
        {
            string family = p.Types.ContainsKey(name) ? name : name[..name.LastIndexOf('_')];
            Assert.True(p.Types.ContainsKey(family), $"{name} has no TYPE");
            if (family != name)
            {
                Assert.Equal("histogram", p.Types[family]);
            }
        }

        // Families are contiguous: once a family's samples end it never reappears.
        var seen = new List<string>();
        foreach ((string name, _, _) in p.Samples)
        {
            string family = p.Types.ContainsKey(name) ? name : name[..name.LastIndexOf('_')];
            if (seen.Count == 0 || seen[^1] != family)
            {
                Assert.DoesNotContain(family, seen);
                seen.Add(family);
            }
        }
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("none"), dir.File("none")));
        registry.ForPipeline("a\\b\"c\nd", "m", "1.0.0", PipelineKind.SensorGraph);

        string text = registry.ToText();

        Assert.Contains("geoedge_inferences_total{pipeline=\"a\\\\b\\\"c\\nd\",model=\"m\",version=\"1.0.0\"} 0\n", text, StringComparison.Ordinal);
        Assert.Equal(0, PrometheusText.Parse(text).Value("geoedge_inferences_total", ("pipeline", "a\\b\"c\nd"), ("model", "m"), ("version", "1.0.0")));
    }

    [Fact]
    public void Inference_errors_are_their_own_counter_and_count_as_inferences()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("none"), dir.File("none")));
        PipelineMetrics m = registry.ForPipeline("shapes", "shapes-dgcnn", "1.0.0", PipelineKind.PointCloud);
        m.Record(Classified(100, 2000, false));
        m.RecordError();
        m.RecordError();
        registry.ForPipeline("shapes", "shapes-dgcnn", "1.1.0", PipelineKind.PointCloud).RecordError();

        PrometheusText p = PrometheusText.Parse(registry.ToText());

        Assert.Equal(2, p.Value("geoedge_inference_errors_total", Shapes));
        Assert.Equal(3, p.Value("geoedge_inferences_total", Shapes));
        Assert.Equal(1, p.Value("geoedge_stage_latency_seconds_count", [.. Shapes, ("stage", "total")]));
        Assert.Equal(1, p.Value("geoedge_inference_errors_total", ("pipeline", "shapes"), ("model", "shapes-dgcnn"), ("version", "1.1.0")));
        Assert.Equal("counter", p.Types["geoedge_inference_errors_total"]);
        Assert.Equal((3L, 2L), (m.Inferences, m.Errors));
    }

    [Fact]
    public void Recording_allocates_nothing_after_the_series_exists()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("none"), dir.File("none")));
        PipelineMetrics m = registry.ForPipeline("shapes", "shapes-dgcnn", "1.0.0", PipelineKind.PointCloud);
        PipelineResult<CloudClassification> ok = Classified(100, 2000, true);
        PipelineResult<CloudClassification> rejected = PipelineResult<CloudClassification>.Rejected(RejectionReason.DuplicateFlood, "x");
        m.Record(ok);
        m.Record(rejected);

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                m.Record(ok);
                m.Record(rejected);
            }
        });

        Assert.Equal(0, allocated);
        long calls = 1 + (Allocations.Rounds * 1000L); // the warm-up call and 1,000 per round
        Assert.Equal(calls, m.Inferences);
        Assert.Equal(calls, m.Rejections(RejectionReason.DuplicateFlood));
    }

    [Theory]
    [InlineData(0.0001, "0.0001")]
    [InlineData(2.5, "2.5")]
    [InlineData(10, "10")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Numbers_are_written_as_prometheus_parses_them(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.FormatNumber(value));

    private static PipelineResult<CloudClassification> Classified(double validateUs, double runUs, bool ood) =>
        PipelineResult<CloudClassification>.Success(new CloudClassification(
            2,
            "box",
            0.9,
            [new ClassProbability(2, "box", 0.9)],
            new OodAssessment("energy", ood ? -1 : -9, -5, ood, ood ? -1 : -9, null),
            1024,
            0,
            0,
            [0f, 1f, 5f],
            new PointCloudTimings(validateUs, 10, 20, 30, 40, runUs, 50)));
}
