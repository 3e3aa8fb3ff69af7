using System.Globalization;

namespace GeoEdge.Sensors.Replay;

/// <summary>Parses the wide sensor CSV format: header "time,&lt;sensor1&gt;,...", then one row per sampling instant.</summary>
/// <remarks>
/// Time is ISO-8601 (a time without an offset is taken as UTC, so its clock time is kept as written) or a
/// plain number of seconds since the Unix epoch. An empty cell or "NaN" is a missing sample. Fields are not
/// quoted: sensor names are identifiers and values are numbers.
/// </remarks>
internal static class SensorCsvParser
{
    private const double MaxUnixSeconds = 253402300799; // 9999-12-31T23:59:59Z, the last instant DateTimeOffset holds

    public static string[] ParseHeader(string file, string? line)
    {
        if (line is null)
        {
            throw new SensorCsvFormatException(file, 1, 1, "file is empty; expected the header 'time,<sensor>,...'");
        }

        string[] cells = line.Split(',');
        if (!cells[0].Trim().Equals("time", StringComparison.OrdinalIgnoreCase))
        {
            throw new SensorCsvFormatException(file, 1, 1, $"first header cell is '{cells[0]}', expected 'time'");
        }

        if (cells.Length < 2)
        {
            throw new SensorCsvFormatException(file, 1, 2, "header names no sensor after 'time'");
        }

        var names = new string[cells.Length - 1];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 1; c < cells.Length; c++)
        {
            string name = cells[c].Trim();
            if (name.Length == 0)
            {
                throw new SensorCsvFormatException(file, 1, c + 1, "empty sensor name");
            }

            if (!seen.Add(name))
            {
                throw new SensorCsvFormatException(file, 1, c + 1, $"sensor '{name}' appears twice");
            }

            names[c - 1] = name;
        }

        return names;
    }

    public static SensorCsvRow ParseRow(string file, int lineNumber, string line, int sensors)
    {
        string[] cells = line.Split(',');
        if (cells.Length != sensors + 1)
        {
            int column = Math.Min(cells.Length, sensors + 1) + (cells.Length > sensors + 1 ? 1 : 0);
            throw new SensorCsvFormatException(file, lineNumber, column, $"row has {cells.Length} cells, the header has {sensors + 1}");
        }

        DateTimeOffset time = ParseTime(file, lineNumber, cells[0].Trim());
        var values = new float[sensors];
        for (int s = 0; s < sensors; s++)
        {
            values[s] = ParseValue(file, lineNumber, s + 2, cells[s + 1].Trim());
        }

        return new SensorCsvRow(time, values);
    }

    private static DateTimeOffset ParseTime(string file, int line, string cell)
    {
        // "2024-01-01" is all digits and dashes but no number: numbers are tried first, dates after.
        bool numeric = cell.Length > 0 && cell.AsSpan().IndexOfAnyExcept("0123456789.+-eE") < 0;
        if (numeric && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) &&
            double.IsFinite(seconds) && Math.Abs(seconds) < MaxUnixSeconds)
        {
            return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        }

        if (DateTimeOffset.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return time;
        }

        throw new SensorCsvFormatException(file, line, 1, $"time '{cell}' is neither ISO-8601 nor seconds since the epoch");
    }

    private static float ParseValue(string file, int line, int column, string cell)
    {
        if (cell.Length == 0 || cell.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return float.NaN;
        }

        if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
        {
            throw new SensorCsvFormatException(file, line, column, $"value '{cell}' is not a finite number (leave the cell empty or write NaN for a missing sample)");
        }

        return value;
    }
}
