using BenchmarkDotNet.Running;
using GeoEdge.Benchmarks.Comparison;

// `time ...` is the entry bench/compare_geometry.py drives beside Open3D and SciPy, `pipeline ...` the one
// bench/compare_torch.py drives beside PyTorch, `onnx ...` the one bench/compare_optimize.py drives; everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "time")
{
    return GeometryTimer.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "pipeline")
{
    return PipelineTimer.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "knnspan")
{
    return KnnSpanTimer.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "onnx")
{
    return OnnxTimer.Run(args[1..]);
}

// `sensor-variants ...`: sensor-stgnn bundles end to end through the device pipeline, interleaved window by window.
if (args.Length > 0 && args[0] == "sensor-variants")
{
    return SensorVariantTimer.Run(args[1..]);
}

// `onnx-ops ...`: ONNX Runtime's per-operator profile of one model (where a run's time goes).
if (args.Length > 0 && args[0] == "onnx-ops")
{
    return OnnxOpProfile.Run(args[1..]);
}

// `cloud-stages ...`: the device pipeline's per-stage timings for several point-cloud bundles, interleaved.
if (args.Length > 0 && args[0] == "cloud-stages")
{
    return CloudStageTimer.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
