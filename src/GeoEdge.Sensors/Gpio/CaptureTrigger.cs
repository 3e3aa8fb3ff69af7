using System.Device.Gpio;
using System.Threading.Channels;

namespace GeoEdge.Sensors.Gpio;

/// <summary>A GPIO input whose debounced rising edges request a capture, delivered on a channel and as an event.</summary>
/// <remarks>
/// Edges arrive on the GPIO driver's callback thread; requests go to <see cref="Requests"/> (bounded: when the
/// host does not keep up the oldest request is dropped, counted in <see cref="Overflowed"/>) and to
/// <see cref="Requested"/> handlers, which must return quickly. Timing runs on the <see cref="TimeProvider"/>.
/// Disposal: opens its pin in the constructor; dispose unregisters the callback, closes the pin and completes
/// <see cref="Requests"/>; the <see cref="GpioController"/> stays the caller's.
/// </remarks>
public sealed class CaptureTrigger : IDisposable
{
    private readonly object _gate = new();
    private readonly GpioController _controller;
    private readonly CaptureTriggerOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<CaptureRequest> _requests;
    private DateTimeOffset? _lastAccepted;
    private bool _disposed;

    /// <param name="capacity">Requests kept for the reader before the oldest is dropped.</param>
    public CaptureTrigger(GpioController controller, CaptureTriggerOptions options, TimeProvider timeProvider, int capacity = 16)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Pin);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Debounce, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (options.InputMode is not (PinMode.Input or PinMode.InputPullDown or PinMode.InputPullUp))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InputMode, "a capture trigger pin is an input");
        }

        _controller = controller;
        _options = options;
        _time = timeProvider;
        _requests = Channel.CreateBounded<CaptureRequest>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = true },
            _ => Overflowed++);
        _controller.OpenPin(options.Pin, options.InputMode);
        _controller.RegisterCallbackForPinValueChangedEvent(options.Pin, PinEventTypes.Rising, OnRising);
    }

    /// <summary>Raised for every accepted request, on the GPIO callback thread.</summary>
    public event EventHandler<CaptureRequest>? Requested;

    /// <summary>Accepted requests, oldest first; completes when the trigger is disposed.</summary>
    public ChannelReader<CaptureRequest> Requests => _requests.Reader;

    /// <summary>Rising edges accepted as requests.</summary>
    public long Accepted { get; private set; }

    /// <summary>Rising edges ignored as contact bounce.</summary>
    public long Bounced { get; private set; }

    /// <summary>Requests dropped because the reader fell behind.</summary>
    public long Overflowed { get; private set; }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _controller.UnregisterCallbackForPinValueChangedEvent(_options.Pin, OnRising);
        _controller.ClosePin(_options.Pin);
        _requests.Writer.TryComplete();
    }

    private void OnRising(object sender, PinValueChangedEventArgs e)
    {
        CaptureRequest request;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            if (_lastAccepted is { } last && now - last < _options.Debounce)
            {
                Bounced++;
                return;
            }

            _lastAccepted = now;
            Accepted++;
            request = new CaptureRequest(Accepted, now);
            _requests.Writer.TryWrite(request);
        }

        Requested?.Invoke(this, request);
    }
}
