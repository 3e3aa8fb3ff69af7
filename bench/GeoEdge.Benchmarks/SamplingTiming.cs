using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Benchmarks;

/// <summary>Median wall-clock timings of FPS and grid sampling, one line per case, for the side-by-side script.</summary>
/// <remarks>
/// Usage: time-sampling FPS_FILE COUNT GRID_FILE SIZE[,SIZE...] [REPEATS]. Files are raw float32 [N,3].
/// Prints "fps kernel=... workers=... median_ms=... min_ms=..." for every kernel (serial and on all cores), then
/// "grid size=... voxels=... median_ms=... min_ms=...", and the FPS indices' checksum so the script can compare choices.
/// </remarks>
internal static class SamplingTiming
{
    public static int Run(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: time-sampling FPS_FILE COUNT GRID_FILE SIZE[,SIZE...] [REPEATS]");
            return 2;
        }

        var fpsCloud = new PointCloud(BenchData.Read(args[0]));
        int count = int.Parse(args[1], CultureInfo.InvariantCulture);
        var gridCloud = new PointCloud(BenchData.Read(args[2]));
        int repeats = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 15;

        int[] indices = FarthestPointSampling.Sample(fpsCloud, count, randomStart: false);
        Console.WriteLine($"fps_indices {string.Join(',', indices)}");
        Console.WriteLine($"fps default kernel={FarthestPointKernels.Default.Name} workers={Environment.ProcessorCount} {Format(Time(repeats, () => FarthestPointSampling.Sample(fpsCloud, count, randomStart: false)))}");
        foreach (IFarthestPointKernel kernel in FarthestPointKernels.All)
        {
            foreach (int workers in new[] { 1, Environment.ProcessorCount })
            {
                var options = new FarthestPointOptions(kernel, workers, workers == 1 ? int.MaxValue : 16_384);
                (double, double) ms = Time(kernel.Name == "scalar" ? 3 : repeats, () => FarthestPointSampling.Sample(fpsCloud, count, null, false, 0, options));
                Console.WriteLine($"fps kernel={kernel.Name} workers={workers} {Format(ms)}");
            }
        }

        foreach (string text in args[3].Split(','))
        {
            float size = float.Parse(text, CultureInfo.InvariantCulture);
            int voxels = GridSampling.Apply(gridCloud, size).Count;
            Console.WriteLine($"grid size={text} voxels={voxels} {Format(Time(repeats, () => GridSampling.Apply(gridCloud, size)))}");
        }

        return 0;
    }

    private static string Format((double Median, double Min) ms) =>
        string.Create(CultureInfo.InvariantCulture, $"median_ms={ms.Median:F3} min_ms={ms.Min:F3}");

    /// <summary>Median and minimum of <paramref name="repeats"/> timed runs after one warm-up run.</summary>
    private static (double Median, double Min) Time(int repeats, Action action)
    {
        action();
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[repeats / 2], times[0]);
    }
}
