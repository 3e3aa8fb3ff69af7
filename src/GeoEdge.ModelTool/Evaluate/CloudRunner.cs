using System.Diagnostics;
using System.Text.Json;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.ModelTool.Evaluate;

/// <summary>Runs a point-cloud-classification bundle on raw clouds and returns its logits and embedding, timing the ModelSession run.</summary>
/// <remarks>
/// Preprocessing is PointCloudClassification's (the device path): optional statistical outlier removal, the cloud as it
/// is when it has exactly <c>points</c> points, else farthest-point sampling from point 0 (repeating the farthest-point
/// order when a perturbed cloud has fewer points, as the pipeline does when the manifest allows repeats), NormalizeScale,
/// kNN. The pipeline's input guards are skipped: evaluation data is known clean, and the pipeline's result does not carry
/// the embedding that calibration needs. Single-threaded: one session slot, one set of buffers.
/// </remarks>
internal sealed class CloudRunner : IDisposable
{
    private readonly ModelSession _session;
    private readonly int _pos;
    private readonly int _knn;
    private readonly int _logits;
    private readonly int _embedding;
    private readonly KnnPreprocessing? _knnSpec;
    private readonly CloudPreprocessor _preprocessor;

    public CloudRunner(ModelBundle bundle, int intraOpThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        BundleManifest m = bundle.Manifest;
        if (m.Task != BundleTasks.PointCloudClassification)
        {
            throw new ArgumentException($"{bundle.Source}: task '{m.Task}' is not {BundleTasks.PointCloudClassification}");
        }

        Points = m.Preprocessing?.Points ?? throw new ArgumentException($"{bundle.Source}: manifest has no preprocessing.points");
        _knnSpec = m.Preprocessing.Knn;
        OutlierRemoval = ReadOutlierRemoval(m.Preprocessing);
        string pos = m.Inputs.First(i => i.Dtype == "float32").Name;
        string? knn = m.Inputs.FirstOrDefault(i => i.Dtype == "int64")?.Name;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { [pos] = [1, Points, 3] };
        if (knn is not null)
        {
            shapes[knn] = [1, Points, _knnSpec?.K ?? throw new ArgumentException($"{bundle.Source}: the model takes neighbours but the manifest has no preprocessing.knn")];
        }

        _session = ModelSession.Load(bundle.ModelPath, new ModelSessionOptions { InputShapes = shapes, MaxConcurrency = 1, IntraOpThreads = intraOpThreads, WarmupRuns = 3 });
        _pos = _session.InputIndex(pos);
        _knn = knn is null ? -1 : _session.InputIndex(knn);
        _logits = IndexOr(_session, "logits", 0);
        _embedding = IndexOr(_session, "embedding", -1);
        Classes = (int)_session.Outputs[_logits].ElementCount;
        EmbeddingWidth = _embedding < 0 ? 0 : (int)_session.Outputs[_embedding].ElementCount;
        _preprocessor = new CloudPreprocessor(Points, _knn < 0 ? 0 : _knnSpec!.K, _knnSpec?.Loop ?? false);
    }

    public int Points { get; }

    public int Classes { get; }

    /// <summary>Width of the 'embedding' output; 0 when the model has none.</summary>
    public int EmbeddingWidth { get; }

    /// <summary>The manifest's statistical outlier removal (meanK, stddevMulThresh), or null.</summary>
    public (int MeanK, double StddevMulThresh)? OutlierRemoval { get; }

    /// <summary>Name of the model's positions input [1,P,3].</summary>
    public string PositionsInput => _session.Inputs[_pos].Name;

    /// <summary>Name of the model's neighbour input [1,P,K], or null when it takes none.</summary>
    public string? KnnInput => _knn < 0 ? null : _session.Inputs[_knn].Name;

    /// <summary>K of the manifest's kNN graph; 0 when the model takes no neighbours.</summary>
    public int KnnWidth => _knn < 0 ? 0 : _knnSpec!.K;

    /// <summary>Runs one raw cloud; <paramref name="outlierRemoval"/> false skips the manifest's SOR stage.</summary>
    public CloudOutput Run(PointCloud cloud, bool outlierRemoval = true)
    {
        long t0 = Stopwatch.GetTimestamp();
        using InferenceLease lease = _session.Rent();
        CloudDriftFeatures input = Prepare(cloud, outlierRemoval, lease.Input<float>(_pos), _knn >= 0 ? lease.Input<long>(_knn) : default);
        long t1 = Stopwatch.GetTimestamp();
        lease.Run();
        long t2 = Stopwatch.GetTimestamp();
        double[] logits = ToDouble(lease.Output<float>(_logits));
        double[]? embedding = _embedding < 0 ? null : ToDouble(lease.Output<float>(_embedding));
        return new CloudOutput(logits, embedding, Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds, Stopwatch.GetElapsedTime(t0, t2).TotalMicroseconds, input);
    }

    /// <summary>The model inputs for one raw cloud: SOR (when the manifest has it and <paramref name="outlierRemoval"/>), sampling and NormalizeScale into <paramref name="positions"/> [P*3], the kNN graph into <paramref name="knn"/> [P*K] when the model takes one.</summary>
    /// <returns>The cloud's drift features, measured where the device pipeline measures them (the sampled points before NormalizeScale).</returns>
    public CloudDriftFeatures Prepare(PointCloud cloud, bool outlierRemoval, Span<float> positions, Span<long> knn)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        int delivered = cloud.Count;
        if (outlierRemoval && OutlierRemoval is (int k, double mul))
        {
            PointCloud kept = new StatisticalOutlierRemoval(k, mul) { MaxDegreeOfParallelism = 1 }.Apply(cloud);
            cloud = kept.Count > 0 ? kept : cloud;
        }

        if (cloud.Count == 0)
        {
            throw new FormatException("an empty cloud has nothing to sample");
        }

        _preprocessor.Sample(cloud.Positions, positions);
        CloudDriftFeatures input = CloudDriftFeatures.Measure(delivered, cloud.Count, positions);
        _preprocessor.NormalizeAndConnect(positions, knn);
        return input;
    }

    public void Dispose() => _session.Dispose();

    private static (int, double)? ReadOutlierRemoval(Preprocessing p)
    {
        if (p.Extensions is null || !p.Extensions.TryGetValue("statisticalOutlierRemoval", out JsonElement sor) || sor.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return (sor.GetProperty("meanK").GetInt32(), sor.GetProperty("stddevMulThresh").GetDouble());
    }

    private static int IndexOr(ModelSession session, string name, int fallback)
    {
        for (int i = 0; i < session.Outputs.Count; i++)
        {
            if (session.Outputs[i].Name == name)
            {
                return i;
            }
        }

        return fallback;
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}

/// <summary>One cloud's logits, embedding (null when the model has none), model-run and end-to-end microseconds, and its drift features.</summary>
internal sealed record CloudOutput(double[] Logits, double[]? Embedding, double RunUs, double TotalUs, CloudDriftFeatures Input);
