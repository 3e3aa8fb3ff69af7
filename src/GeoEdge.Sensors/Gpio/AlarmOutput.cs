using System.Device.Gpio;

namespace GeoEdge.Sensors.Gpio;

/// <summary>A GPIO alarm line: <see cref="Raise"/> turns it on, and it turns off once no raise was accepted for the hold time.</summary>
/// <remarks>
/// A raise while the alarm is on extends it; a raise within the debounce time of the last accepted one is
/// ignored (counted in <see cref="Suppressed"/>), so a burst of detections cannot flicker the line. Timing runs
/// on the <see cref="TimeProvider"/>. Thread-safe. Disposal: opens its pin in the constructor and, on dispose,
/// turns the alarm off and closes the pin; the <see cref="GpioController"/> stays the caller's.
/// </remarks>
public sealed class AlarmOutput : IDisposable
{
    private readonly object _gate = new();
    private readonly GpioController _controller;
    private readonly AlarmOutputOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private DateTimeOffset? _lastAccepted;
    private DateTimeOffset _offAt;
    private bool _disposed;

    public AlarmOutput(GpioController controller, AlarmOutputOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Pin);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Hold, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Debounce, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Debounce, options.Hold);
        _controller = controller;
        _options = options;
        _time = timeProvider;
        _controller.OpenPin(options.Pin, PinMode.Output);
        _controller.Write(options.Pin, Level(active: false));
        _timer = timeProvider.CreateTimer(_ => OnHoldElapsed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public bool IsActive { get; private set; }

    /// <summary>Raises accepted (each turned the alarm on or extended it).</summary>
    public long RaiseCount { get; private set; }

    /// <summary>Raises ignored for coming within the debounce time of the last accepted one.</summary>
    public long Suppressed { get; private set; }

    /// <summary>Reason given with the last accepted raise.</summary>
    public string? LastReason { get; private set; }

    /// <summary>Turns the alarm on (or keeps it on) for the hold time; returns false when the raise was debounced away.</summary>
    public bool Raise(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DateTimeOffset now = _time.GetUtcNow();
            if (_lastAccepted is { } last && now - last < _options.Debounce)
            {
                Suppressed++;
                return false;
            }

            _lastAccepted = now;
            _offAt = now + _options.Hold;
            RaiseCount++;
            LastReason = reason;
            if (!IsActive)
            {
                _controller.Write(_options.Pin, Level(active: true));
                IsActive = true;
            }

            _timer.Change(_options.Hold, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
            if (IsActive)
            {
                _controller.Write(_options.Pin, Level(active: false));
                IsActive = false;
            }

            _controller.ClosePin(_options.Pin);
        }
    }

    private void OnHoldElapsed()
    {
        lock (_gate)
        {
            if (_disposed || !IsActive)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            if (now < _offAt)
            {
                _timer.Change(_offAt - now, Timeout.InfiniteTimeSpan);
                return;
            }

            _controller.Write(_options.Pin, Level(active: false));
            IsActive = false;
        }
    }

    private PinValue Level(bool active) => active != _options.ActiveLow ? PinValue.High : PinValue.Low;
}
