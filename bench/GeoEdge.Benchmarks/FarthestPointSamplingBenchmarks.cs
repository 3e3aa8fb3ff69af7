using BenchmarkDotNet.Attributes;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Benchmarks;

/// <summary>FPS of 1,024 points from 100k, per kernel, serial and on all cores.</summary>
[MemoryDiagnoser]
public class FarthestPointSamplingBenchmarks
{
    private PointCloud _cloud = null!;
    private FarthestPointOptions _options;

    [Params("scalar", "vector128", "vector256")]
    public string Kernel { get; set; } = "vector256";

    [Params(1, 0)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cloud = BenchmarkClouds.Create("uniform", 100_000, seed: 1);
        int workers = Workers == 0 ? Environment.ProcessorCount : Workers;
        _options = new FarthestPointOptions(FarthestPointKernels.Choose(Kernel), workers, workers == 1 ? int.MaxValue : 16_384);
    }

    [Benchmark]
    public int[] Sample1024Of100k() => FarthestPointSampling.Sample(_cloud, 1024, null, false, 0, _options);
}
