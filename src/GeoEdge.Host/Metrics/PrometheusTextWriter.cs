using System.Globalization;

namespace GeoEdge.Host.Metrics;

/// <summary>Writes the Prometheus text exposition format 0.0.4: HELP/TYPE lines, escaped labels, Go-style numbers.</summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The Content-Type a scrape response carries.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly TextWriter _out;

    public PrometheusTextWriter(TextWriter output)
    {
        _out = output ?? throw new ArgumentNullException(nameof(output));
    }

    /// <summary>Starts a metric family; every sample of the family must follow before the next family starts.</summary>
    public void Family(string name, string help, string type)
    {
        _out.Write("# HELP ");
        _out.Write(name);
        _out.Write(' ');
        WriteEscaped(help, escapeQuote: false);
        _out.Write('\n');
        _out.Write("# TYPE ");
        _out.Write(name);
        _out.Write(' ');
        _out.Write(type);
        _out.Write('\n');
    }

    public void Sample(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, double value) => Sample(name, labels, default, value);

    public void Sample(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, long value)
    {
        WriteSeries(name, labels, default);
        _out.Write(value.ToString(CultureInfo.InvariantCulture));
        _out.Write('\n');
    }

    /// <summary>A sample with one extra label after <paramref name="labels"/> (the histogram's <c>le</c>).</summary>
    public void Sample(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, KeyValuePair<string, string> extra, double value)
    {
        WriteSeries(name, labels, extra);
        _out.Write(FormatNumber(value));
        _out.Write('\n');
    }

    public void Sample(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, KeyValuePair<string, string> extra, long value)
    {
        WriteSeries(name, labels, extra);
        _out.Write(value.ToString(CultureInfo.InvariantCulture));
        _out.Write('\n');
    }

    /// <summary>A histogram's series: cumulative <c>_bucket{le=...}</c> including +Inf, then <c>_sum</c> and <c>_count</c>.</summary>
    public void Histogram(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, ReadOnlySpan<double> bounds, ReadOnlySpan<long> bucketCounts, double sum)
    {
        string bucket = name + "_bucket";
        long cumulative = 0;
        for (int i = 0; i < bounds.Length; i++)
        {
            cumulative += bucketCounts[i];
            Sample(bucket, labels, new KeyValuePair<string, string>("le", FormatNumber(bounds[i])), cumulative);
        }

        cumulative += bucketCounts[bounds.Length];
        Sample(bucket, labels, new KeyValuePair<string, string>("le", "+Inf"), cumulative);
        Sample(name + "_sum", labels, sum);
        Sample(name + "_count", labels, cumulative);
    }

    /// <summary>Go's strconv.FormatFloat(v, 'g', -1, 64) spelling as Prometheus parses it: shortest round-trip, +Inf, -Inf, NaN.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        return double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private void WriteSeries(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, KeyValuePair<string, string> extra)
    {
        _out.Write(name);
        if (labels.Length > 0 || extra.Key is not null)
        {
            _out.Write('{');
            bool first = true;
            foreach (KeyValuePair<string, string> label in labels)
            {
                WriteLabel(label, ref first);
            }

            if (extra.Key is not null)
            {
                WriteLabel(extra, ref first);
            }

            _out.Write('}');
        }

        _out.Write(' ');
    }

    private void WriteLabel(KeyValuePair<string, string> label, ref bool first)
    {
        if (!first)
        {
            _out.Write(',');
        }

        first = false;
        _out.Write(label.Key);
        _out.Write("=\"");
        WriteEscaped(label.Value, escapeQuote: true);
        _out.Write('"');
    }

    // Label values escape backslash, double quote and newline; HELP text escapes only backslash and newline.
    private void WriteEscaped(string text, bool escapeQuote)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\':
                    _out.Write("\\\\");
                    break;
                case '\n':
                    _out.Write("\\n");
                    break;
                case '"' when escapeQuote:
                    _out.Write("\\\"");
                    break;
                default:
                    _out.Write(c);
                    break;
            }
        }
    }
}
