using System.Runtime.CompilerServices;
using GeoEdge.Sensors.Sources;

namespace GeoEdge.Sensors.Replay;

/// <summary>Replays wide-format sensor CSV recordings as sensor readings, one row per period, once or looping.</summary>
/// <remarks>
/// Each row yields one <see cref="SensorReading"/> per present sample, stamped with the row's recorded time.
/// When looping, every later pass shifts the recorded times by the span of one pass (first to last row plus
/// the last row step), so time keeps increasing and the time of day advances as the recording implies.
/// Counters: <see cref="SourceCounters.Frames"/> = rows emitted, <see cref="SourceCounters.Lost"/> = missing
/// samples (empty/NaN cells), <see cref="SourceCounters.Errors"/> = malformed rows or files, skipped, with the
/// <see cref="SensorCsvFormatException"/> naming file, line and column kept in <see cref="SourceCounters.LastError"/>.
/// A looping pass without a single good row ends the stream.
/// </remarks>
public sealed class SensorCsvReplay : ISensorSource
{
    private readonly IReadOnlyList<string> _files;
    private readonly ReplayOptions _options;
    private readonly TimeSpan _period;
    private readonly TimeProvider _time;

    /// <summary>Replays one recording.</summary>
    public SensorCsvReplay(string file, ReplayOptions options, TimeProvider timeProvider)
        : this([file], options, timeProvider)
    {
    }

    /// <summary>Replays <paramref name="files"/> one after another, as one recording.</summary>
    public SensorCsvReplay(IReadOnlyList<string> files, ReplayOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (files.Count == 0)
        {
            throw new ArgumentException("sensor CSV replay needs at least one file", nameof(files));
        }

        foreach (string file in files)
        {
            ArgumentException.ThrowIfNullOrEmpty(file, nameof(files));
        }

        _files = [.. files];
        _options = options;
        _period = Pacer.PeriodOf(options.RateHz, nameof(options));
        _time = timeProvider;
    }

    public SourceCounters Counters { get; } = new();

    public async IAsyncEnumerable<SensorReading> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pacer = new Pacer(_time, _period);
        TimeSpan shift = TimeSpan.Zero;
        do
        {
            var pass = new PassSpan();
            foreach (string file in _files)
            {
                using StreamReader? reader = TryOpen(file);
                if (reader is null)
                {
                    continue;
                }

                string[]? sensors = TryReadHeader(file, reader);
                if (sensors is null)
                {
                    continue;
                }

                int lineNumber = 1;
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string? line = TryReadLine(file, reader);
                    lineNumber++;
                    if (line is null)
                    {
                        break;
                    }

                    if (line.Length == 0)
                    {
                        continue;
                    }

                    SensorCsvRow? row = TryParse(file, lineNumber, line, sensors.Length);
                    if (row is not { } parsed)
                    {
                        continue;
                    }

                    pass.Add(parsed.Time);
                    await pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                    Counters.AddFrame();
                    DateTimeOffset time = parsed.Time + shift;
                    for (int s = 0; s < sensors.Length; s++)
                    {
                        float value = parsed.Values[s];
                        if (float.IsNaN(value))
                        {
                            Counters.AddLost();
                            continue;
                        }

                        yield return new SensorReading(sensors[s], time, value);
                    }
                }
            }

            if (pass.Rows == 0)
            {
                yield break;
            }

            shift += pass.Span;
        }
        while (_options.Loop);
    }

    private StreamReader? TryOpen(string file)
    {
        try
        {
            return new StreamReader(file, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Counters.AddError(e);
            return null;
        }
    }

    private string[]? TryReadHeader(string file, StreamReader reader)
    {
        try
        {
            return SensorCsvParser.ParseHeader(file, reader.ReadLine());
        }
        catch (Exception e) when (e is SensorCsvFormatException or IOException)
        {
            Counters.AddError(e);
            return null;
        }
    }

    private string? TryReadLine(string file, StreamReader reader)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (IOException e)
        {
            Counters.AddError(new IOException($"{file}: {e.Message}", e));
            return null;
        }
    }

    private SensorCsvRow? TryParse(string file, int lineNumber, string line, int sensors)
    {
        try
        {
            return SensorCsvParser.ParseRow(file, lineNumber, line, sensors);
        }
        catch (SensorCsvFormatException e)
        {
            Counters.AddError(e);
            return null;
        }
    }

    /// <summary>First and last recorded time of one pass and the last step, to shift the next pass by.</summary>
    private sealed class PassSpan
    {
        private DateTimeOffset _first;
        private DateTimeOffset _last;
        private TimeSpan _lastStep;

        public int Rows { get; private set; }

        /// <summary>Recorded span of the pass plus one step, so the next pass starts one step after this one ended.</summary>
        public TimeSpan Span => _last - _first + (_lastStep > TimeSpan.Zero ? _lastStep : TimeSpan.FromSeconds(1));

        public void Add(DateTimeOffset time)
        {
            if (Rows == 0)
            {
                _first = time;
            }
            else
            {
                _lastStep = time - _last;
            }

            _last = time;
            Rows++;
        }
    }
}
