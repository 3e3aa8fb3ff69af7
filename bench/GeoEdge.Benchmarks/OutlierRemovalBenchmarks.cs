using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Spatial;

namespace GeoEdge.Benchmarks;

/// <summary>StatisticalOutlierRemoval (mean_k 20, std_mul 2) and RadiusOutlierRemoval (16 within r) on a surface scan.</summary>
[MemoryDiagnoser]
public class OutlierRemovalBenchmarks
{
    private PointCloud _cloud = null!;

    [Params(16_000, 100_000)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _cloud = BenchmarkClouds.Create("surface", N);

    [Benchmark]
    public int[] Statistical() =>
        StatisticalOutlierRemoval.Inliers(_cloud, 20, 2.0, new NeighbourSearchSettings(SimdSelection.Default, Threads));

    [Benchmark]
    public int[] Radius() =>
        RadiusOutlierRemoval.Inliers(_cloud, 0.02, 16, new NeighbourSearchSettings(SimdSelection.Default, Threads));
}
