using System.Collections.Concurrent;

namespace GeoEdge.FleetServer.Devices;

/// <summary>A per-device minimum interval between desired-state polls; faster polls are told when to come back.</summary>
/// <remarks>Per replica, in memory: behind a load balancer a device may poll each replica once per interval, which bounds
/// the load well enough without a database write per poll.</remarks>
public sealed class PollThrottle
{
    private readonly ConcurrentDictionary<string, long> _lastPoll = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _minimum;

    /// <summary>Creates the throttle.</summary>
    public PollThrottle(TimeProvider time, TimeSpan minimum)
    {
        _time = time;
        _minimum = minimum;
    }

    /// <summary>Null when the poll may go ahead (and is recorded); otherwise how long the device must wait.</summary>
    public TimeSpan? TryPoll(string deviceId)
    {
        if (_minimum <= TimeSpan.Zero)
        {
            return null;
        }

        long now = _time.GetTimestamp();
        while (true)
        {
            if (!_lastPoll.TryGetValue(deviceId, out long last))
            {
                if (_lastPoll.TryAdd(deviceId, now))
                {
                    return null;
                }

                continue;
            }

            TimeSpan since = _time.GetElapsedTime(last, now);
            if (since < _minimum)
            {
                return _minimum - since;
            }

            if (_lastPoll.TryUpdate(deviceId, now, last))
            {
                return null;
            }
        }
    }
}
