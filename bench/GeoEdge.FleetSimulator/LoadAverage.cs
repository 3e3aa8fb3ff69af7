using System.Globalization;

namespace GeoEdge.FleetSimulator;

/// <summary>The machine's 1-minute load average (/proc/loadavg), recorded beside every figure.</summary>
internal static class LoadAverage
{
    public static double Read()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
