using System.Diagnostics;
using System.Globalization;

namespace GeoEdge.Host.Metrics;

/// <summary>Reads <see cref="ProcessSample"/>s from procfs and sysfs; the roots are parameters so tests point them at files they wrote.</summary>
public sealed class ProcessSampler
{
    private readonly string _thermalRoot;
    private readonly string _procStatus;

    public ProcessSampler(string thermalRoot = "/sys/class/thermal", string procStatus = "/proc/self/status")
    {
        _thermalRoot = thermalRoot;
        _procStatus = procStatus;
    }

    /// <summary>Called at scrape time (not on the hot path), so allocation here is fine.</summary>
    public ProcessSample Sample()
    {
        double cpu;
        using (Process self = Process.GetCurrentProcess())
        {
            cpu = self.TotalProcessorTime.TotalSeconds;
        }

        return new ProcessSample(ReadResidentBytes(), cpu, ReadTemperatures());
    }

    public long ReadResidentBytes()
    {
        try
        {
            foreach (string line in File.ReadLines(_procStatus))
            {
                // "VmRSS:	   12345 kB"
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    ReadOnlySpan<char> rest = line.AsSpan(6).Trim();
                    int space = rest.IndexOf(' ');
                    ReadOnlySpan<char> number = space < 0 ? rest : rest[..space];
                    if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                    {
                        return kb * 1024;
                    }
                }
            }
        }
        catch (IOException)
        {
            // Not Linux (or a sandbox without procfs): the runtime's working set is the next best figure.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Environment.WorkingSet;
    }

    /// <summary>thermal_zone*/temp holds millidegrees Celsius; unreadable or malformed zones are skipped, not fatal.</summary>
    public IReadOnlyList<ThermalReading> ReadTemperatures()
    {
        if (!Directory.Exists(_thermalRoot))
        {
            return [];
        }

        var zones = new List<(int Number, string Dir)>();
        foreach (string dir in Directory.EnumerateDirectories(_thermalRoot, "thermal_zone*"))
        {
            string name = Path.GetFileName(dir);
            if (int.TryParse(name.AsSpan("thermal_zone".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                zones.Add((number, dir));
            }
        }

        zones.Sort((a, b) => a.Number.CompareTo(b.Number));
        var readings = new List<ThermalReading>(zones.Count);
        foreach ((_, string dir) in zones)
        {
            if (TryReadText(Path.Combine(dir, "temp"), out string temp)
                && long.TryParse(temp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long milli))
            {
                string type = TryReadText(Path.Combine(dir, "type"), out string t) ? t : string.Empty;
                readings.Add(new ThermalReading(Path.GetFileName(dir), type, milli / 1000.0));
            }
        }

        return readings;
    }

    private static bool TryReadText(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path).Trim();
            return true;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        text = string.Empty;
        return false;
    }
}
