using System.Globalization;
using System.Text;

namespace GeoEdge.Host.Tests.Metrics;

/// <summary>A strict parser of the Prometheus text format 0.0.4, written from the spec, to read the exposition back.</summary>
internal sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> Samples => _samples;

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        foreach (string line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                string rest = line[7..];
                int space = rest.IndexOf(' ', StringComparison.Ordinal);
                result.Help.Add(rest[..space], Unescape(rest[(space + 1)..], quotes: false));
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line[7..].Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.False(result.Types.ContainsKey(parts[0]), $"TYPE {parts[0]} twice");
                result.Types.Add(parts[0], parts[1]);
            }
            else
            {
                result._samples.Add(ParseSample(line));
            }
        }

        return result;
    }

    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var matches = _samples.Where(s => s.Name == name && s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Key, out string? v) && v == l.Value)).ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} samples of {name}{{{string.Join(',', labels.Select(l => $"{l.Key}={l.Value}"))}}}");
        return matches[0].Value;
    }

    private static (string, Dictionary<string, string>, double) ParseSample(string line)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        string name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int eq = line.IndexOf('=', i);
                string key = line[i..eq];
                Assert.Equal('"', line[eq + 1]);
                var value = new StringBuilder();
                int j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new FormatException($"bad escape \\{line[j]} in {line}") });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                labels.Add(key, value.ToString());
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Assert.Equal(' ', line[i]);
        string number = line[(i + 1)..];
        double v = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return (name, labels, v);
    }

    private static string Unescape(string s, bool quotes)
    {
        var r = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\')
            {
                r.Append(s[i]);
                continue;
            }

            i++;
            r.Append(s[i] switch { 'n' => '\n', '\\' => '\\', '"' when quotes => '"', _ => throw new FormatException($"bad escape in {s}") });
        }

        return r.ToString();
    }
}
