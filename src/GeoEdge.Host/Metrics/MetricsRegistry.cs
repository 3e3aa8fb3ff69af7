using System.Collections.Concurrent;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Metrics;

/// <summary>Every metric of the device, tagged with pipeline, model and version, and written out in the Prometheus text format.</summary>
public sealed class MetricsRegistry
{
    private static readonly RejectionReason[] Reasons = Enum.GetValues<RejectionReason>();

    private readonly ConcurrentDictionary<(string Pipeline, string Model, string Version), PipelineMetrics> _pipelines = new();
    private readonly ConcurrentDictionary<string, string> _activeModels = new(StringComparer.Ordinal);
    private readonly double[]? _bucketBounds;
    private readonly ProcessSampler _sampler;
    private volatile string? _executionProvider;

    public MetricsRegistry(ProcessSampler? sampler = null, double[]? bucketBoundsSeconds = null)
    {
        _sampler = sampler ?? new ProcessSampler();
        _bucketBounds = bucketBoundsSeconds;
    }

    /// <summary>The series of one pipeline on one model version, created on first use; keep it, don't look it up per inference.</summary>
    public PipelineMetrics ForPipeline(string pipeline, string model, string version, PipelineKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentException.ThrowIfNullOrEmpty(version);
        PipelineStage[] stages = kind == PipelineKind.PointCloud ? PipelineStageNames.PointCloud : PipelineStageNames.SensorGraph;
        return _pipelines.GetOrAdd((pipeline, model, version), key => new PipelineMetrics(key.Pipeline, key.Model, key.Version, stages, _bucketBounds));
    }

    /// <summary>The series of a pipeline on a model version, if anything created it.</summary>
    public bool TryGet(string pipeline, string model, string version, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PipelineMetrics? metrics) =>
        _pipelines.TryGetValue((pipeline, model, version), out metrics);

    /// <summary>Marks <paramref name="version"/> as the active version of <paramref name="model"/> (an activation or rollback).</summary>
    public void SetActiveModel(string model, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentException.ThrowIfNullOrEmpty(version);
        _activeModels[model] = version;
    }

    public void SetExecutionProvider(string provider)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        _executionProvider = provider;
    }

    /// <summary>Every pipeline series, ordered by pipeline, model, version (the exposition order).</summary>
    public IReadOnlyList<PipelineMetrics> Pipelines()
    {
        var list = new List<PipelineMetrics>(_pipelines.Values);
        list.Sort(static (a, b) =>
        {
            int c = string.CompareOrdinal(a.Pipeline, b.Pipeline);
            c = c != 0 ? c : string.CompareOrdinal(a.Model, b.Model);
            return c != 0 ? c : string.CompareOrdinal(a.Version, b.Version);
        });
        return list;
    }

    /// <summary>Writes every family once, with its HELP and TYPE lines, followed by all its series.</summary>
    public void WriteTo(TextWriter output)
    {
        var w = new PrometheusTextWriter(output);
        IReadOnlyList<PipelineMetrics> pipelines = Pipelines();

        w.Family("geoedge_inferences_total", "Inputs the model ran on (results and errors), per pipeline and model version.", "counter");
        foreach (PipelineMetrics p in pipelines)
        {
            w.Sample("geoedge_inferences_total", Labels(p), p.Inferences);
        }

        w.Family("geoedge_inference_errors_total", "Inferences that threw (input dropped, pipeline kept running), per pipeline and model version.", "counter");
        foreach (PipelineMetrics p in pipelines)
        {
            w.Sample("geoedge_inference_errors_total", Labels(p), p.Errors);
        }

        w.Family("geoedge_rejections_total", "Inputs refused by a guard, per pipeline, model version and reason.", "counter");
        foreach (PipelineMetrics p in pipelines)
        {
            foreach (RejectionReason reason in Reasons)
            {
                if (reason != RejectionReason.None)
                {
                    w.Sample("geoedge_rejections_total", Labels(p), new("reason", reason.ToString()), p.Rejections(reason));
                }
            }
        }

        w.Family("geoedge_ood_total", "Results flagged out of distribution.", "counter");
        foreach (PipelineMetrics p in pipelines)
        {
            w.Sample("geoedge_ood_total", Labels(p), p.OutOfDistribution);
        }

        w.Family("geoedge_anomalies_total", "Sensors flagged anomalous, summed over scored windows.", "counter");
        foreach (PipelineMetrics p in pipelines)
        {
            w.Sample("geoedge_anomalies_total", Labels(p), p.Anomalies);
        }

        w.Family("geoedge_drift_score", "Largest standardized shift of a live input feature's mean from the bundle's reference (reference std units, capped at 10; above 3 = drifted), over about the last 100 inputs.", "gauge");
        foreach (PipelineMetrics p in pipelines)
        {
            if (p.Drift?.Score is double drift)
            {
                w.Sample("geoedge_drift_score", Labels(p), drift);
            }
        }

        w.Family("geoedge_stage_latency_seconds", "Time spent in each pipeline stage (total: the whole inference).", "histogram");
        foreach (PipelineMetrics p in pipelines)
        {
            foreach (PipelineStage stage in p.Stages)
            {
                LatencyHistogram h = p.Histogram(stage)!;
                long[] counts = new long[h.BucketCount];
                double sum = h.Snapshot(counts);
                KeyValuePair<string, string>[] labels = [.. Labels(p), new("stage", PipelineStageNames.Name(stage))];
                w.Histogram("geoedge_stage_latency_seconds", labels, h.Bounds, counts, sum);
            }
        }

        w.Family("geoedge_model_active", "The active version of each model (always 1; the version is a label).", "gauge");
        var active = new List<KeyValuePair<string, string>>(_activeModels);
        active.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (KeyValuePair<string, string> model in active)
        {
            w.Sample("geoedge_model_active", [new("model", model.Key), new("version", model.Value)], 1L);
        }

        if (_executionProvider is { } provider)
        {
            w.Family("geoedge_execution_provider", "The ONNX Runtime execution provider in use (always 1).", "gauge");
            w.Sample("geoedge_execution_provider", [new("provider", provider)], 1L);
        }

        ProcessSample sample = _sampler.Sample();
        w.Family("geoedge_process_resident_memory_bytes", "Resident set size of the geoedge process.", "gauge");
        w.Sample("geoedge_process_resident_memory_bytes", [], sample.ResidentBytes);
        w.Family("geoedge_process_cpu_seconds_total", "User and system CPU time of the geoedge process.", "counter");
        w.Sample("geoedge_process_cpu_seconds_total", [], sample.CpuSeconds);
        if (sample.Temperatures.Count > 0)
        {
            w.Family("geoedge_board_temperature_celsius", "Temperature of each thermal zone of the board.", "gauge");
            foreach (ThermalReading t in sample.Temperatures)
            {
                w.Sample("geoedge_board_temperature_celsius", [new("zone", t.Zone), new("type", t.Type)], t.Celsius);
            }
        }
    }

    public string ToText()
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteTo(text);
        return text.ToString();
    }

    private static KeyValuePair<string, string>[] Labels(PipelineMetrics p) =>
        [new("pipeline", p.Pipeline), new("model", p.Model), new("version", p.Version)];
}
