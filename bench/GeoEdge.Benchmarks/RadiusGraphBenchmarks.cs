using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Benchmarks;

/// <summary>RadiusGraph.Build with about 16 neighbours per point, at most 32, per kernel and thread count.</summary>
[MemoryDiagnoser]
public class RadiusGraphBenchmarks
{
    private PointCloud _cloud = null!;

    [Params(16_000, 100_000)]
    public int N { get; set; }

    [Params("Scalar", "Vector256")]
    public string Simd { get; set; } = "Vector256";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _cloud = BenchmarkClouds.Create("uniform", N);

    [Benchmark]
    public EdgeIndex Build() =>
        RadiusGraph.Build(
            _cloud, BenchmarkClouds.RadiusFor(N), false, 32, GraphFlow.SourceToTarget, new NeighbourSearchSettings(Enum.Parse<SimdVariant>(Simd), Threads));
}
