namespace GeoEdge.Sensors.Replay;

/// <summary>A sensor CSV recording that does not follow the wide format, naming the file, line and column at fault.</summary>
public sealed class SensorCsvFormatException : FormatException
{
    public SensorCsvFormatException()
        : this("malformed sensor CSV")
    {
    }

    public SensorCsvFormatException(string message)
        : base(message)
    {
        File = string.Empty;
        Detail = message;
    }

    public SensorCsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Detail = message;
    }

    /// <param name="file">The recording's path.</param>
    /// <param name="line">1-based line number (the header is line 1).</param>
    /// <param name="column">1-based column number (the time column is column 1).</param>
    /// <param name="detail">What is wrong there.</param>
    public SensorCsvFormatException(string file, int line, int column, string detail)
        : base($"{file}:{line}:{column}: {detail}")
    {
        File = file;
        Line = line;
        Column = column;
        Detail = detail;
    }

    public string File { get; }

    public int Line { get; }

    public int Column { get; }

    public string Detail { get; }
}
