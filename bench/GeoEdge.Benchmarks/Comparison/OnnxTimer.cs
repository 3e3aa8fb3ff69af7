using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry.IO;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Benchmarks.Comparison;

/// <summary>The ONNX Runtime side of bench/compare_optimize.py: times one model on the arrays of an .npz, in process.</summary>
/// <remarks>
/// <c>onnx MODEL.onnx INPUTS.npz THREADS ROUNDS</c>: a session with IntraOpNumThreads = THREADS (inter-op 1,
/// all graph optimizations), inputs named like the .npz keys the model declares (float32 / int64) made once
/// as OrtValues over the arrays, 3 warm-up runs, then ROUNDS timed Run calls; prints
/// <c>median_ms p10_ms p90_ms median_cpu_ms</c> on one line. The CPU time (this process, all threads) is what
/// a loaded machine inflates least: at THREADS = 1 it is the work of one Run, whoever else wants the cores.
/// </remarks>
internal static class OnnxTimer
{
    public static int Run(string[] args)
    {
        if (args.Length != 4 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out int threads) || !int.TryParse(args[3], CultureInfo.InvariantCulture, out int rounds))
        {
            Console.Error.WriteLine("usage: GeoEdge.Benchmarks onnx MODEL.onnx INPUTS.npz THREADS ROUNDS");
            return 2;
        }

        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(args[0], options);
        IReadOnlyDictionary<string, NpyArray> npz = NpzFile.Read(args[1]);
        var names = new List<string>();
        var values = new List<OrtValue>();
        foreach (string name in session.InputNames)
        {
            NpyArray a = npz[name];
            long[] shape = Array.ConvertAll(a.Shape, static d => (long)d);
            values.Add(a.DType == NpyDType.Float32
                ? OrtValue.CreateTensorValueFromMemory(a.AsSpan<float>().ToArray(), shape)
                : OrtValue.CreateTensorValueFromMemory(a.AsSpan<long>().ToArray(), shape));
            names.Add(name);
        }

        using var runOptions = new RunOptions();
        var times = new double[rounds];
        var cpu = new double[rounds];
        using var self = Process.GetCurrentProcess();
        for (int r = -3; r < rounds; r++)
        {
            self.Refresh();
            TimeSpan cpuStart = self.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, names, values, session.OutputNames);
            if (r >= 0)
            {
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                self.Refresh();
                cpu[r] = (self.TotalProcessorTime - cpuStart).TotalMilliseconds;
            }
        }

        Array.Sort(times);
        Array.Sort(cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{times[rounds / 2]:F3} {times[rounds / 10]:F3} {times[rounds * 9 / 10]:F3} {cpu[rounds / 2]:F3}"));
        foreach (OrtValue v in values)
        {
            v.Dispose();
        }

        return 0;
    }
}
