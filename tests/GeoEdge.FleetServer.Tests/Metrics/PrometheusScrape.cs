using System.Globalization;

namespace GeoEdge.FleetServer.Tests.Metrics;

/// <summary>Parses Prometheus text exposition into series → value (series = name{labels} exactly as written), checking that
/// every sample belongs to a family announced by HELP and TYPE.</summary>
internal static class PrometheusScrape
{
    public static Dictionary<string, double> Parse(string text)
    {
        var families = new HashSet<string>(StringComparer.Ordinal);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                families.Add(line.Split(' ')[2]);
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            string series = line[..space];
            int brace = series.IndexOf('{', StringComparison.Ordinal);
            string name = brace < 0 ? series : series[..brace];
            Assert.True(families.Contains(name), $"sample '{line}' has no # TYPE line before it");
            Assert.True(samples.TryAdd(series, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)), $"series '{series}' appears twice");
        }

        return samples;
    }
}
