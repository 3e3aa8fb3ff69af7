using System.Diagnostics;
using System.Globalization;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Benchmarks;

/// <summary>Median wall-clock timings of FPS and grid sampling, one line per case, for the side-by-side script.</summary>
/// <remarks>
/// Usage: time-sampling FPS_FILE COUNT GRID_FILE SIZE[,SIZE...] [REPEATS]. Files are raw float32 [N,3].
/// Prints "fps kernel=... workers=... median_ms=..." for every kernel (serial and on all cores), then
/// "grid size=... voxels=... median_ms=...", and the FPS indices' checksum so the script can compare choices.
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
        Console.WriteLine($"fps default kernel={FarthestPointKernels.Default.Name} workers={Environment.ProcessorCount} median_ms={Median(repeats, () => FarthestPointSampling.Sample(fpsCloud, count, randomStart: false)):F3}");
        foreach (IFarthestPointKernel kernel in FarthestPointKernels.All)
        {
            foreach (int workers in new[] { 1, Environment.ProcessorCount })
            {
                var options = new FarthestPointOptions(kernel, workers, workers == 1 ? int.MaxValue : 16_384);
                double ms = Median(kernel.Name == "vector512" && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 3 : repeats, () => FarthestPointSampling.Sample(fpsCloud, count, null, false, 0, options));
                Console.WriteLine($"fps kernel={kernel.Name} workers={workers} median_ms={ms:F3}");
            }
        }

        foreach (string text in args[3].Split(','))
        {
            float size = float.Parse(text, CultureInfo.InvariantCulture);
            int voxels = GridSampling.Apply(gridCloud, size).Count;
            double ms = Median(repeats, () => GridSampling.Apply(gridCloud, size));
            Console.WriteLine($"grid size={text} voxels={voxels} median_ms={ms:F3}");
        }

        return 0;
    }

    private static double Median(int repeats, Action action)
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
        return times[repeats / 2];
    }
}
