using System.Diagnostics;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Sampling;
using GeoEdge.Geometry.Transforms;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Inference.Pipelines;

/// <summary>Classifies one point cloud with a point-cloud-classification bundle: guards, optional SOR, farthest-point sampling,
/// NormalizeScale, kNN, the model, calibrated softmax, top-k and an OOD verdict.</summary>
/// <remarks>
/// Preprocessing follows the manifest exactly as the training recipe did: a cloud of exactly <c>points</c> points is used
/// as it is, a larger one is reduced by farthest-point sampling from its first point, a smaller one is rejected unless the
/// manifest's guards allow repeating points. Bad data is a <see cref="PipelineResult{T}"/> rejection, never an exception.
/// Thread-safe: concurrent calls each rent their own session buffers (up to the session's MaxConcurrency, then they wait)
/// and their own preprocessing buffers from a small pool (one set per concurrent caller, kept for reuse).
/// Hot path: sampling, NormalizeScale and the kNN write straight into the session's input tensors, so after warm-up a call
/// allocates only its result (the records, the top-k array and the logits copy); the drift features are measured on the
/// sampled positions before NormalizeScale and recorded into <see cref="Drift"/> without allocating. Still allocating: a cloud with
/// non-finite points (the cleaned copy) and the manifest's statistical outlier removal, when asked for.
/// The bundle is not owned: keep it open while the pipeline is used.
/// </remarks>
public sealed class PointCloudClassification : IDisposable
{
    private readonly PointCloudSettings _settings;
    private readonly OodRule _ood;
    private readonly string[] _labels;
    private readonly int _topK;
    private readonly int _parallelism;
    private readonly int _posInput;
    private readonly int _knnInput;
    private readonly int _logitsOutput;
    private readonly int _embeddingOutput;
    private readonly PointCloudBufferPool _buffers;

    public PointCloudClassification(ModelBundle bundle, PointCloudClassificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        options ??= new PointCloudClassificationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TopK, 1);
        var fields = new ManifestFields(bundle.Manifest);
        _settings = PointCloudSettings.Read(bundle.Manifest);
        _ood = OodRule.Read(bundle, fields);
        _topK = options.TopK;
        _parallelism = Math.Max(1, options.MaxDegreeOfParallelism);
        (string pos, string? knn) = InputNames(bundle.Manifest, fields, _settings);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { [pos] = [1, _settings.Points, 3] };
        if (knn is not null)
        {
            shapes[knn] = [1, _settings.Points, _settings.Knn!.K];
        }

        Session = PipelineSession.Load(bundle, options.Session, shapes);
        try
        {
            _posInput = PipelineSession.Require(bundle, Session.Inputs, pos, shapes[pos]);
            _knnInput = knn is null ? -1 : PipelineSession.Require(bundle, Session.Inputs, knn, shapes[knn]);
            _logitsOutput = OutputIndex(Session, "logits") ?? 0;
            _embeddingOutput = OutputIndex(Session, "embedding") ?? -1;
            int classes = (int)Session.Outputs[_logitsOutput].ElementCount;
            _labels = ReadLabels(bundle.Manifest, fields, classes);
            _buffers = new PointCloudBufferPool(_settings.Points, classes, _topK);
            Drift = DriftMonitor.Create(bundle.Manifest.Drift, CloudDriftFeatures.Names);
            if (_ood.Mahalanobis is { } m && (_embeddingOutput < 0 || Session.Outputs[_embeddingOutput].ElementCount != m.Width))
            {
                fields.Fail(MahalanobisScorer.MatrixPath(bundle.Manifest.Ood!), $"width {m.Width} does not match the model's 'embedding' output");
            }
        }
        catch
        {
            Session.Dispose();
            throw;
        }
    }

    /// <summary>The session the pipeline runs (owned by the pipeline).</summary>
    public ModelSession Session { get; }

    /// <summary>Points per cloud the model takes (the manifest's <c>preprocessing.points</c>).</summary>
    public int Points => _settings.Points;

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Scores the classified clouds' <see cref="CloudDriftFeatures"/> against the bundle's <c>drift</c> reference;
    /// null when the bundle has none. Every successful <see cref="Classify(PointCloud)"/> records into it.</summary>
    public DriftMonitor? Drift { get; }

    /// <summary>Classifies a single cloud given as row-major [N,3] positions (taken, not copied).</summary>
    public PipelineResult<CloudClassification> Classify(float[] positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        return positions.Length % 3 != 0
            ? PipelineResult<CloudClassification>.Rejected(RejectionReason.WrongShape, $"{positions.Length} floats is not a whole number of xyz points")
            : Classify(new PointCloud(positions));
    }

    public PipelineResult<CloudClassification> Classify(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        PointCloudBuffers buffers = _buffers.Rent();
        try
        {
            return Classify(cloud, buffers);
        }
        finally
        {
            _buffers.Return(buffers);
        }
    }

    public void Dispose() => Session.Dispose();

    private PipelineResult<CloudClassification> Classify(PointCloud cloud, PointCloudBuffers buffers)
    {
        long t0 = Stopwatch.GetTimestamp();
        if (PointCloudGuards.Check(cloud, _settings, buffers.Distinct, out PointCloud usable, out int dropped) is { } rejected)
        {
            return PipelineResult<CloudClassification>.Rejected(rejected.Reason, rejected.Detail);
        }

        long t1 = Stopwatch.GetTimestamp();
        int outliers = 0;
        if (_settings.OutlierRemoval is (int meanK, double mul))
        {
            int before = usable.Count;
            usable = new StatisticalOutlierRemoval(meanK, mul) { MaxDegreeOfParallelism = _parallelism }.Apply(usable);
            outliers = before - usable.Count;
            if (PointCloudGuards.CheckCount(usable.Count, _settings) is { } tooFew)
            {
                return PipelineResult<CloudClassification>.Rejected(tooFew.Reason, $"{tooFew.Detail} after outlier removal took {outliers}");
            }
        }

        long t2 = Stopwatch.GetTimestamp();
        using InferenceLease lease = Session.Rent();
        Span<float> positions = lease.Input<float>(_posInput);
        Sample(usable.Positions, positions, buffers);
        CloudDriftFeatures input = CloudDriftFeatures.Measure(cloud.Count, usable.Count, positions);
        long t3 = Stopwatch.GetTimestamp();
        NormalizeScale.ApplyInPlace(positions);
        long t4 = Stopwatch.GetTimestamp();
        if (_knnInput >= 0)
        {
            KnnGraph.Neighbours(positions, _settings.Knn!.K, _settings.Knn.Loop, lease.Input<long>(_knnInput), buffers.Neighbours);
        }

        long t5 = Stopwatch.GetTimestamp();
        lease.Run();
        long t6 = Stopwatch.GetTimestamp();
        (ClassProbability[] topK, OodAssessment ood, float[] logits) = Postprocess(lease, buffers);
        long t7 = Stopwatch.GetTimestamp();
        var timings = new PointCloudTimings(Us(t0, t1), Us(t1, t2), Us(t2, t3), Us(t3, t4), Us(t4, t5), Us(t5, t6), Us(t6, t7));
        if (Drift is { } drift)
        {
            Span<double> features = stackalloc double[CloudDriftFeatures.Count];
            input.CopyTo(features);
            drift.Record(features);
        }

        return PipelineResult<CloudClassification>.Success(
            new CloudClassification(topK[0].Index, topK[0].Name, topK[0].Probability, topK, ood, cloud.Count, dropped, outliers, logits, timings) { Input = input });
    }

    /// <summary>Writes the model's <c>points</c> positions into <paramref name="destination"/>: the cloud itself, or its farthest points.</summary>
    /// <remarks>Fewer points than the model takes happen only when the manifest allows it: the farthest-point order repeats.</remarks>
    private void Sample(float[] source, Span<float> destination, PointCloudBuffers buffers) =>
        FarthestPointSampling.SamplePositions(source, destination[..(3 * _settings.Points)], buffers.Chosen, buffers.Sampling);

    private (ClassProbability[] TopK, OodAssessment Ood, float[] Logits) Postprocess(InferenceLease lease, PointCloudBuffers buffers)
    {
        ReadOnlySpan<float> logits = lease.Output<float>(_logitsOutput);
        double t = _settings.Temperature;
        double[] probabilities = buffers.Probabilities;
        ClassScores.Softmax(logits, t, probabilities);
        int[] top = buffers.Top;
        ClassScores.TopK(probabilities, top);
        var topK = new ClassProbability[top.Length];
        for (int i = 0; i < top.Length; i++)
        {
            topK[i] = new ClassProbability(top[i], _labels[top[i]], probabilities[top[i]]);
        }

        double? distance = _ood.Mahalanobis?.Distance(lease.Output<float>(_embeddingOutput));
        return (topK, _ood.Assess(ClassScores.Energy(logits, t), probabilities[top[0]], distance), logits.ToArray());
    }

    private static double Us(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMicroseconds;

    private static (string Pos, string? Knn) InputNames(BundleManifest manifest, ManifestFields fields, PointCloudSettings settings)
    {
        string? pos = null, knn = null;
        foreach (TensorSpec input in manifest.Inputs)
        {
            if (input.Dtype == "float32" && pos is null)
            {
                pos = input.Name;
            }
            else if (input.Dtype == "int64" && knn is null)
            {
                knn = input.Name;
            }
            else
            {
                fields.Fail("$.inputs", $"input '{input.Name}' ({input.Dtype}) is neither the positions (float32) nor the neighbour matrix (int64)");
            }
        }

        if (pos is null)
        {
            fields.Fail("$.inputs", "no float32 positions input");
        }

        if ((knn is null) != (settings.Knn is null))
        {
            fields.Fail("$.preprocessing.knn", knn is null ? "given, but the model has no int64 neighbour input" : $"missing, but the model takes neighbours in '{knn}'");
        }

        return (pos, knn);
    }

    private static string[] ReadLabels(BundleManifest manifest, ManifestFields fields, int classes)
    {
        if (manifest.Labels is { } labels)
        {
            return labels.Count == classes ? [.. labels] : fields.Fail<string[]>("$.labels", $"{labels.Count} labels for {classes} model classes");
        }

        var names = new string[classes];
        for (int c = 0; c < classes; c++)
        {
            names[c] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static int? OutputIndex(ModelSession session, string name)
    {
        for (int i = 0; i < session.Outputs.Count; i++)
        {
            if (session.Outputs[i].Name == name)
            {
                return i;
            }
        }

        return null;
    }
}
