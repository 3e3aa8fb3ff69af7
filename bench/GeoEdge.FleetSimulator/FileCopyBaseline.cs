using System.Diagnostics;

namespace GeoEdge.FleetSimulator;

/// <summary>The baseline for bundle downloads: File.Copy (what cp does) of the same .geob, as many times as it was
/// downloaded, one after another, each to a new file.</summary>
internal static class FileCopyBaseline
{
    public static (double MedianMBps, double AggregateMBps) Measure(string file, int copies, string directory)
    {
        Directory.CreateDirectory(directory);
        long bytes = new FileInfo(file).Length;
        var rates = new List<double>(copies);
        double total = 0;
        for (int i = 0; i < copies; i++)
        {
            string target = Path.Combine(directory, $"copy-{i}.geob");
            long start = Stopwatch.GetTimestamp();
            File.Copy(file, target);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            total += seconds;
            rates.Add(bytes / seconds / 1e6);
        }

        rates.Sort();
        return (Percentile.Of(rates, 50), total > 0 ? bytes * (double)copies / total / 1e6 : double.NaN);
    }
}
