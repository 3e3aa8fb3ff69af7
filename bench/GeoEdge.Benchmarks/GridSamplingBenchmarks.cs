using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Benchmarks;

/// <summary>Grid sampling of 1M uniform points in the unit cube: coarse (125 points per voxel) and fine (about 1 per voxel).</summary>
[MemoryDiagnoser]
public class GridSamplingBenchmarks
{
    private PointCloud _cloud = null!;

    [Params(0.05f, 0.01f)]
    public float Size { get; set; }

    [GlobalSetup]
    public void Setup() => _cloud = BenchmarkClouds.Create("uniform", 1_000_000, seed: 2);

    [Benchmark]
    public PointCloud Sample1M() => GridSampling.Apply(_cloud, Size);
}
