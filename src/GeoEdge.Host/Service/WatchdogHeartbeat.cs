using System.Globalization;

namespace GeoEdge.Host.Service;

/// <summary>Sends systemd's WATCHDOG=1 from the pipeline loops themselves, and only while every loop is making progress.</summary>
/// <remarks>
/// The .NET host sends no watchdog pings: a timer would keep pinging while a pipeline is stuck, which is exactly the case
/// the watchdog exists for. Each loop calls <see cref="Beat"/> once per iteration (after a frame, or after an idle wait
/// that proved the loop is alive); the beat that finds every registered loop has beaten since the last ping, at least half
/// of WATCHDOG_USEC after it, sends the next ping from that loop's thread. One stuck loop therefore stops all pings and
/// systemd restarts the service after WatchdogSec. No ping goes out before READY=1 (the loops start first). Beat allocates nothing.
/// </remarks>
public sealed class WatchdogHeartbeat
{
    private const int MaxLoops = 64;
    private static readonly byte[] Ping = "WATCHDOG=1"u8.ToArray();

    private readonly SystemdNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly long[] _lastBeat = new long[MaxLoops];
    private readonly bool[] _active = new bool[MaxLoops];
    private readonly Lock _registration = new();
    private long _lastPing;
    private int _loops;
    private int _sending;

    /// <param name="notifier">Where pings go.</param>
    /// <param name="time">The clock (a fake one in tests).</param>
    /// <param name="watchdogTimeout">systemd's WATCHDOG_USEC as a span; null or zero disables pings.</param>
    public WatchdogHeartbeat(SystemdNotifier notifier, TimeProvider time, TimeSpan? watchdogTimeout)
    {
        _notifier = notifier;
        _time = time;
        Timeout = watchdogTimeout is { Ticks: > 0 } t ? t : null;
        _intervalTicks = Timeout is { } timeout ? (long)(timeout.TotalSeconds / 2 * time.TimestampFrequency) : long.MaxValue;
        _lastPing = time.GetTimestamp();
    }

    /// <summary>WATCHDOG_USEC when it is meant for this process (WATCHDOG_PID absent or ours), else null.</summary>
    public static TimeSpan? TimeoutFromEnvironment()
    {
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out long usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;
    }

    public TimeSpan? Timeout { get; }

    public bool IsEnabled => Timeout is not null && _notifier.IsEnabled;

    public int Pings { get; private set; }

    /// <summary>Registers a loop; its first beat is due within half the watchdog timeout.</summary>
    public int Register()
    {
        lock (_registration)
        {
            for (int i = 0; i < MaxLoops; i++)
            {
                if (!_active[i])
                {
                    Volatile.Write(ref _lastBeat[i], 0);
                    _active[i] = true;
                    _loops = Math.Max(_loops, i + 1);
                    return i;
                }
            }
        }

        throw new InvalidOperationException($"more than {MaxLoops} pipeline loops");
    }

    /// <summary>A loop that ends on purpose (service stopping) no longer holds the pings back.</summary>
    public void Unregister(int loop)
    {
        lock (_registration)
        {
            _active[loop] = false;
        }
    }

    public void Beat(int loop)
    {
        long now = _time.GetTimestamp();
        Volatile.Write(ref _lastBeat[loop], now);
        long last = Volatile.Read(ref _lastPing);
        if (!IsEnabled || !_notifier.IsReady || now - last < _intervalTicks || !AllBeatSince(last))
        {
            return;
        }

        if (Interlocked.Exchange(ref _sending, 1) == 0)
        {
            try
            {
                if (Volatile.Read(ref _lastPing) == last && _notifier.Notify(Ping))
                {
                    Pings++;
                }

                Volatile.Write(ref _lastPing, now);
            }
            finally
            {
                Volatile.Write(ref _sending, 0);
            }
        }
    }

    private bool AllBeatSince(long since)
    {
        int loops = Volatile.Read(ref _loops);
        for (int i = 0; i < loops; i++)
        {
            if (Volatile.Read(ref _active[i]) && Volatile.Read(ref _lastBeat[i]) <= since)
            {
                return false;
            }
        }

        return true;
    }
}
