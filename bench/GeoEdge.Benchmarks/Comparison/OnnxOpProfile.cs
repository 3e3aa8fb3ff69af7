using System.Globalization;
using System.Text.Json;
using GeoEdge.Geometry.IO;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>Where one model's run goes, by operator type: ONNX Runtime's own profiler over many runs of one example.</summary>
/// <remarks>
/// <c>onnx-ops MODEL.onnx INPUTS.npz RUNS [--bind NAME=VALUE ...]</c>: a session with one intra-op thread and all graph
/// optimizations (as the device runs it; --bind adds free-dimension overrides, e.g. B=1, as ModelSession does), the
/// first example (index 0 of axis 0) of every .npz array the model takes as input (and the leading part of an axis the model
/// fixes smaller), 20 warm-up runs, then RUNS profiled runs;
/// prints the wall time per run without profiling first, then per operator type (after ORT's fusions) the kernel time per
/// run, its share, and the nodes of that type per run. Profiling adds a few microseconds per node, so shares of cheap
/// nodes are inflated; use it to see what dominates, and the plain timing for figures.
/// </remarks>
internal static class OnnxOpProfile
{
    public static int Run(string[] args)
    {
        if (args.Length < 3 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int runs) || runs < 1)
        {
            Console.Error.WriteLine("usage: GeoEdge.Benchmarks onnx-ops MODEL.onnx INPUTS.npz RUNS [--bind NAME=VALUE ...]");
            return 2;
        }

        var bind = new List<(string Name, long Value)>();
        for (int i = 3; i + 1 < args.Length; i += 2)
        {
            string[] pair = args[i + 1].Split('=');
            bind.Add((pair[0], long.Parse(pair[1], CultureInfo.InvariantCulture)));
        }

        double plain = TimePerRun(args[0], args[1], bind, runs, profile: false, out _);
        double profiled = TimePerRun(args[0], args[1], bind, runs, profile: true, out string? trace);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(args[0])}: {plain * 1000:F1} us/run ({profiled * 1000:F1} profiled)"));
        Print(trace!, runs + 20);
        return 0;
    }

    private static double TimePerRun(string model, string npzPath, List<(string Name, long Value)> bind, int runs, bool profile, out string? trace)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        foreach ((string name, long value) in bind)
        {
            options.AddFreeDimensionOverrideByName(name, value);
        }

        if (profile)
        {
            options.EnableProfiling = true;
            options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), "geoedge-onnx-ops");
        }

        using var session = new InferenceSession(model, options);
        IReadOnlyDictionary<string, NpyArray> npz = NpzFile.Read(npzPath);
        var names = new List<string>();
        var values = new List<OrtValue>();
        foreach (string name in session.InputNames)
        {
            NpyArray a = npz[name];
            long[] shape = Leading(Array.ConvertAll(a.Shape, static d => (long)d), session.InputMetadata[name].Dimensions);
            values.Add(a.DType == NpyDType.Float32
                ? OrtValue.CreateTensorValueFromMemory(Slice(a.AsSpan<float>().ToArray(), a.Shape, shape), shape)
                : OrtValue.CreateTensorValueFromMemory(Slice(a.AsSpan<long>().ToArray(), a.Shape, shape), shape));
            names.Add(name);
        }

        using var runOptions = new RunOptions();
        for (int r = 0; r < 20; r++)
        {
            session.Run(runOptions, names, values, session.OutputNames).Dispose();
        }

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int r = 0; r < runs; r++)
        {
            session.Run(runOptions, names, values, session.OutputNames).Dispose();
        }

        double perRun = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds / runs;
        trace = profile ? session.EndProfiling() : null;
        foreach (OrtValue v in values)
        {
            v.Dispose();
        }

        return perRun;
    }

    // The first example, and the leading part of any axis the model fixes smaller than the array (a knn input of k = 8 fed
    // from a reference of k = 16 nearest-first neighbours takes the 8 nearest).
    private static long[] Leading(long[] shape, int[] declared)
    {
        var target = (long[])shape.Clone();
        target[0] = 1;
        for (int d = 1; d < target.Length && d < declared.Length; d++)
        {
            if (declared[d] > 0 && declared[d] < target[d])
            {
                target[d] = declared[d];
            }
        }

        return target;
    }

    private static T[] Slice<T>(T[] source, int[] sourceShape, long[] target)
    {
        var result = new T[target.Aggregate(1L, static (p, d) => p * d)];
        var strides = new long[sourceShape.Length];
        strides[^1] = 1;
        for (int d = sourceShape.Length - 2; d >= 0; d--)
        {
            strides[d] = strides[d + 1] * sourceShape[d + 1];
        }

        for (long i = 0; i < result.Length; i++)
        {
            long rest = i, offset = 0;
            for (int d = target.Length - 1; d >= 0; d--)
            {
                offset += rest % target[d] * strides[d];
                rest /= target[d];
            }

            result[i] = source[offset];
        }

        return result;
    }

    private static void Print(string trace, int runs)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(trace));
        var byOp = new Dictionary<string, (double Us, int Nodes)>(StringComparer.Ordinal);
        foreach (JsonElement e in doc.RootElement.EnumerateArray())
        {
            if (e.GetProperty("cat").GetString() != "Node" || !e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal))
            {
                continue;
            }

            string op = e.GetProperty("args").GetProperty("op_name").GetString()!;
            (double us, int nodes) = byOp.GetValueOrDefault(op);
            byOp[op] = (us + e.GetProperty("dur").GetDouble(), nodes + 1);
        }

        File.Delete(trace);
        double total = byOp.Values.Sum(static v => v.Us);
        foreach ((string op, (double us, int nodes)) in byOp.OrderByDescending(static kv => kv.Value.Us))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {op,-24} {us / runs,8:F1} us/run {100 * us / total,5:F1} %  {(double)nodes / runs,3:F0} nodes"));
        }
    }
}
