using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Benchmarks;

/// <summary>KnnGraph.Build k=16 (index build + search + edge_index), per kernel and thread count.</summary>
[MemoryDiagnoser]
public class KnnGraphBenchmarks
{
    private PointCloud _cloud = null!;

    [Params("uniform", "surface")]
    public string Kind { get; set; } = "uniform";

    [Params(16_000, 100_000)]
    public int N { get; set; }

    [Params("Scalar", "Vector256")]
    public string Simd { get; set; } = "Vector256";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _cloud = BenchmarkClouds.Create(Kind, N);

    [Benchmark]
    public EdgeIndex Build() =>
        KnnGraph.Build(_cloud, 16, false, GraphFlow.SourceToTarget, new NeighbourSearchSettings(Enum.Parse<SimdVariant>(Simd), Threads));
}
