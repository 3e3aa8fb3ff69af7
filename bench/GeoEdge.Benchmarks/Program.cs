using BenchmarkDotNet.Running;
using GeoEdge.Benchmarks;

// A quick side-by-side entry for bench/compare_neighbours_quick.py; BenchmarkDotNet stays the default.
if (args.Length > 0 && args[0] == "time-neighbours")
{
    return NeighbourTiming.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
