using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry.Graphs;

namespace GeoEdge.Benchmarks;

/// <summary>The span kNN of the inference path (k=16, one thread, reused workspace): the KD tree vs the dispatch (cell grid for small clouds).</summary>
[MemoryDiagnoser]
public class KnnSpanBenchmarks
{
    private float[] _positions = [];
    private long[] _destination = [];
    private readonly NeighbourWorkspace _workspace = new();

    [Params("uniform", "surface")]
    public string Kind { get; set; } = "uniform";

    [Params(1024, 4096)]
    public int N { get; set; }

    [Params("KdTree", "Auto")]
    public string Search { get; set; } = "Auto";

    [GlobalSetup]
    public void Setup()
    {
        _positions = BenchmarkClouds.Create(Kind, N).Positions;
        _destination = new long[N * 16];
    }

    [Benchmark]
    public long Neighbours()
    {
        KnnGraph.Neighbours(_positions, 16, false, _destination, _workspace, Enum.Parse<SpanSearch>(Search));
        return _destination[^1];
    }
}

/// <summary>The same on the 50 first shapes-dgcnn test clouds (1,024 points, NormalizeScale'd), per cloud.</summary>
[MemoryDiagnoser]
public class KnnSpanRealCloudBenchmarks
{
    private const int Clouds = 50;
    private float[][] _clouds = [];
    private long[] _destination = [];
    private readonly NeighbourWorkspace _workspace = new();

    [Params("KdTree", "Auto")]
    public string Search { get; set; } = "Auto";

    [GlobalSetup]
    public void Setup()
    {
        _clouds = KnnSpanClouds.RealTestClouds(Clouds);
        _destination = new long[_clouds[0].Length / 3 * 16];
    }

    [Benchmark(OperationsPerInvoke = Clouds)]
    public long Neighbours()
    {
        SpanSearch search = Enum.Parse<SpanSearch>(Search);
        foreach (float[] cloud in _clouds)
        {
            KnnGraph.Neighbours(cloud, 16, false, _destination, _workspace, search);
        }

        return _destination[^1];
    }
}
