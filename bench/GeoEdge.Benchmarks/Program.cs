using BenchmarkDotNet.Running;
using GeoEdge.Benchmarks.Comparison;

// `time ...` is the entry bench/compare_geometry.py drives beside Open3D and SciPy; everything else
// goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "time")
{
    return GeometryTimer.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
