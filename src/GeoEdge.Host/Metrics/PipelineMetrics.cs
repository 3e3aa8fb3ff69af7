using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Metrics;

/// <summary>Counters and stage latencies of one pipeline running one model version; recording allocates nothing.</summary>
/// <remarks>A pipeline worker asks <see cref="MetricsRegistry.ForPipeline"/> once per model version and keeps the instance,
/// so the hot path is only Interlocked operations on arrays allocated here.</remarks>
public sealed class PipelineMetrics
{
    private static readonly int ReasonCount = Enum.GetValues<RejectionReason>().Length;

    private readonly LatencyHistogram?[] _stages = new LatencyHistogram?[(int)PipelineStage.Total + 1];
    private readonly long[] _rejections = new long[ReasonCount];
    private long _inferences;
    private long _errors;
    private long _outOfDistribution;
    private long _anomalies;
    private DriftMonitor? _drift;

    internal PipelineMetrics(string pipeline, string model, string version, IReadOnlyList<PipelineStage> stages, double[]? bucketBoundsSeconds)
    {
        Pipeline = pipeline;
        Model = model;
        Version = version;
        var list = new PipelineStage[stages.Count];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = stages[i];
            _stages[(int)stages[i]] = new LatencyHistogram(bucketBoundsSeconds);
        }

        Stages = list;
    }

    public string Pipeline { get; }

    public string Model { get; }

    public string Version { get; }

    /// <summary>The stages this pipeline times, in pipeline order.</summary>
    public IReadOnlyList<PipelineStage> Stages { get; }

    /// <summary>Inputs the model ran on: those that produced a result and those whose inference threw (<see cref="Errors"/>);
    /// rejections are counted apart.</summary>
    public long Inferences => Volatile.Read(ref _inferences);

    /// <summary>Inferences that threw (ONNX Runtime or the pipeline): counted in <see cref="Inferences"/> too, so
    /// Errors / Inferences is the error rate, as the fleet server computes it from the metric windows.</summary>
    public long Errors => Volatile.Read(ref _errors);

    public long OutOfDistribution => Volatile.Read(ref _outOfDistribution);

    /// <summary>Sensors flagged anomalous, summed over windows.</summary>
    public long Anomalies => Volatile.Read(ref _anomalies);

    public long Rejections(RejectionReason reason) => Volatile.Read(ref _rejections[(int)reason]);

    public long TotalRejections
    {
        get
        {
            long n = 0;
            for (int i = 0; i < _rejections.Length; i++)
            {
                n += Volatile.Read(ref _rejections[i]);
            }

            return n;
        }
    }

    /// <summary>The drift monitor of the pipeline object this version runs in (the worker attaches it); its running score is
    /// the <c>geoedge_drift_score</c> gauge. Null when the bundle has no drift reference.</summary>
    public DriftMonitor? Drift
    {
        get => Volatile.Read(ref _drift);
        set => Volatile.Write(ref _drift, value);
    }

    /// <summary>The stage's histogram; null when this pipeline does not time that stage.</summary>
    public LatencyHistogram? Histogram(PipelineStage stage) => _stages[(int)stage];

    public void Record(PipelineResult<CloudClassification> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } value)
        {
            RecordRejection(result.Reason);
            return;
        }

        PointCloudTimings t = value.Timings;
        Observe(PipelineStage.Guards, t.ValidateUs);
        Observe(PipelineStage.Outlier, t.OutlierRemovalUs);
        Observe(PipelineStage.Sample, t.SamplingUs);
        Observe(PipelineStage.Normalize, t.NormalizeUs);
        Observe(PipelineStage.Knn, t.KnnUs);
        Observe(PipelineStage.Run, t.RunUs);
        Observe(PipelineStage.Postprocess, t.PostprocessUs);
        Observe(PipelineStage.Total, t.TotalUs);
        Interlocked.Increment(ref _inferences);
        if (value.Ood.IsOutOfDistribution)
        {
            Interlocked.Increment(ref _outOfDistribution);
        }
    }

    public void Record(PipelineResult<SensorWindowScores> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } value)
        {
            RecordRejection(result.Reason);
            return;
        }

        SensorTimings t = value.Timings;
        Observe(PipelineStage.Window, t.WindowUs);
        Observe(PipelineStage.Encode, t.EncodeUs);
        Observe(PipelineStage.Run, t.RunUs);
        Observe(PipelineStage.Postprocess, t.PostprocessUs);
        Observe(PipelineStage.Total, t.TotalUs);
        Interlocked.Increment(ref _inferences);
        int anomalous = value.AnomalousCount;
        if (anomalous > 0)
        {
            Interlocked.Add(ref _anomalies, anomalous);
        }

        if (value.Ood is { IsOutOfDistribution: true })
        {
            Interlocked.Increment(ref _outOfDistribution);
        }
    }

    /// <summary>Counts an inference that threw; the input is dropped and the pipeline goes on.</summary>
    public void RecordError()
    {
        Interlocked.Increment(ref _inferences);
        Interlocked.Increment(ref _errors);
    }

    /// <summary>Counts a refused input (e.g. a sensor reading refused before any window is scored).</summary>
    public void RecordRejection(RejectionReason reason)
    {
        int index = (int)reason;
        if ((uint)index < (uint)_rejections.Length)
        {
            Interlocked.Increment(ref _rejections[index]);
        }
    }

    private void Observe(PipelineStage stage, double microseconds) => _stages[(int)stage]?.ObserveMicroseconds(microseconds);
}
