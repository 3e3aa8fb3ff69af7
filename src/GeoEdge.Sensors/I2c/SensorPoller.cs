using System.Runtime.CompilerServices;
using GeoEdge.Sensors.Sources;

namespace GeoEdge.Sensors.I2c;

/// <summary>Polls sensors, each at its own period, and yields their mapped channels as sensor-graph readings.</summary>
/// <remarks>
/// All sensors are due at the start; each is then polled every <see cref="PolledSensor.Period"/> on the
/// <see cref="TimeProvider"/> (a poll that falls behind is not repeated to catch up). Readings carry the poll
/// time. A channel whose read throws or reports no sample is skipped (a missing sample for its node) and the
/// loop goes on. Counters: <see cref="SourceCounters.Frames"/> = sensor polls, <see cref="SourceCounters.Lost"/>
/// = missing samples, <see cref="SourceCounters.Errors"/> = channel reads that threw (the last one kept as a
/// <see cref="SensorReadException"/> naming sensor, channel and node). Sensors are read on the enumerating
/// thread (I2C transfers are short and synchronous). The poller does not dispose the sensors.
/// </remarks>
public sealed class SensorPoller : ISensorSource
{
    private readonly PolledSensor[] _sensors;
    private readonly TimeProvider _time;

    public SensorPoller(IReadOnlyList<PolledSensor> sensors, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (sensors.Count == 0)
        {
            throw new ArgumentException("the poller needs at least one sensor", nameof(sensors));
        }

        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (PolledSensor s in sensors)
        {
            Validate(s, nodes);
        }

        _sensors = [.. sensors];
        _time = timeProvider;
    }

    public SourceCounters Counters { get; } = new();

    public async IAsyncEnumerable<SensorReading> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DateTimeOffset start = _time.GetUtcNow();
        var due = new DateTimeOffset[_sensors.Length];
        Array.Fill(due, start);
        var readings = new List<SensorReading>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset next = Min(due);
            DateTimeOffset now = _time.GetUtcNow();
            if (next > now)
            {
                await Task.Delay(next - now, _time, cancellationToken).ConfigureAwait(false);
                now = _time.GetUtcNow();
            }

            for (int i = 0; i < _sensors.Length; i++)
            {
                if (due[i] > now)
                {
                    continue;
                }

                readings.Clear();
                Poll(_sensors[i], now, readings);
                due[i] = due[i] + _sensors[i].Period > now ? due[i] + _sensors[i].Period : now + _sensors[i].Period;
                foreach (SensorReading reading in readings)
                {
                    yield return reading;
                }
            }
        }
    }

    private void Poll(PolledSensor polled, DateTimeOffset now, List<SensorReading> into)
    {
        Counters.AddFrame();
        foreach (string channel in polled.Sensor.Channels)
        {
            if (!polled.Channels.TryGetValue(channel, out string? node))
            {
                continue;
            }

            try
            {
                if (polled.Sensor.TryRead(channel, out double value) && double.IsFinite(value))
                {
                    into.Add(new SensorReading(node, now, (float)value));
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A real bus throws IOException for a missing chip, drivers add TimeoutException or
                // InvalidOperationException; none of them may stop the other sensors.
                Counters.AddError(new SensorReadException(polled.Name, channel, node, e));
            }

            Counters.AddLost();
        }
    }

    private static DateTimeOffset Min(DateTimeOffset[] due)
    {
        DateTimeOffset min = due[0];
        foreach (DateTimeOffset d in due)
        {
            min = d < min ? d : min;
        }

        return min;
    }

    private static void Validate(PolledSensor s, Dictionary<string, string> nodes)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentException.ThrowIfNullOrEmpty(s.Name);
        ArgumentNullException.ThrowIfNull(s.Sensor);
        ArgumentNullException.ThrowIfNull(s.Channels);
        if (s.Period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(s), s.Period, $"sensor '{s.Name}': period must be positive");
        }

        if (s.Channels.Count == 0)
        {
            throw new ArgumentException($"sensor '{s.Name}' maps no channel to a node", nameof(s));
        }

        foreach ((string channel, string node) in s.Channels)
        {
            if (!s.Sensor.Channels.Contains(channel))
            {
                throw new ArgumentException($"sensor '{s.Name}' has no channel '{channel}' (channels: {string.Join(", ", s.Sensor.Channels)})", nameof(s));
            }

            if (string.IsNullOrEmpty(node))
            {
                throw new ArgumentException($"sensor '{s.Name}' channel '{channel}' maps to an empty node name", nameof(s));
            }

            if (!nodes.TryAdd(node, $"{s.Name}.{channel}"))
            {
                throw new ArgumentException($"node '{node}' is fed by both {nodes[node]} and {s.Name}.{channel}", nameof(s));
            }
        }
    }
}
