using BenchmarkDotNet.Running;
using GeoEdge.Benchmarks;

// "time-sampling" is the quick Stopwatch entry that bench/compare_sampling_quick.py runs beside Open3D;
// everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "time-sampling")
{
    return SamplingTiming.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
