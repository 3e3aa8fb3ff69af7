using System.Device.Gpio;

namespace GeoEdge.Testing.Devices;

/// <summary>A simulated GPIO chip: pins with modes and levels, a log of every level written, and edge callbacks fired by <see cref="Drive"/>.</summary>
/// <remarks>
/// Output pins read back what was last written; input pins read what the test drives onto them. Every
/// <see cref="Write(int, PinValue)"/> is logged per pin (even when the level does not change), so tests can
/// assert exact pin-level sequences. Callbacks run synchronously on the thread that calls <see cref="Drive"/>.
/// </remarks>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly object _gate = new();
    private readonly Dictionary<int, Pin> _pins = [];

    public SimulatedGpioDriver(int pinCount = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pinCount, 1);
        PinCountValue = pinCount;
    }

    private int PinCountValue { get; }

    protected override int PinCount => PinCountValue;

    /// <summary>Every level written to <paramref name="pin"/>, in order.</summary>
    public IReadOnlyList<PinValue> Writes(int pin)
    {
        lock (_gate)
        {
            return _pins.TryGetValue(pin, out Pin? p) ? [.. p.Writes] : [];
        }
    }

    public bool IsOpen(int pin)
    {
        lock (_gate)
        {
            return _pins.TryGetValue(pin, out Pin? p) && p.Open;
        }
    }

    public PinMode ModeOf(int pin)
    {
        lock (_gate)
        {
            return Get(pin).Mode;
        }
    }

    /// <summary>Drives an input level from outside (a button, a sensor line) and fires matching edge callbacks.</summary>
    public void Drive(int pin, PinValue level)
    {
        List<PinChangeEventHandler> handlers;
        PinEventTypes edge;
        lock (_gate)
        {
            Pin p = Get(pin);
            PinValue before = p.Input;
            p.Input = level;
            if (before == level)
            {
                return;
            }

            edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            handlers = [.. p.Callbacks.Where(c => (c.Events & edge) != 0).Select(c => c.Handler)];
            Monitor.PulseAll(_gate);
        }

        foreach (PinChangeEventHandler handler in handlers)
        {
            handler(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            Pin p = Get(pinNumber);
            p.Open = true;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            Pin p = Get(pinNumber);
            p.Open = false;
            p.Callbacks.Clear();
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            Get(pinNumber).Mode = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return Get(pinNumber).Mode;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
        {
            Pin p = Get(pinNumber);
            return p.Mode == PinMode.Output ? p.Output : p.Input;
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            Pin p = Get(pinNumber);
            if (p.Mode != PinMode.Output)
            {
                throw new InvalidOperationException($"pin {pinNumber} is {p.Mode}, not an output");
            }

            p.Output = value;
            p.Writes.Add(value);
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Pin p = Get(pinNumber);
            PinValue start = p.Input;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (p.Input != start)
                {
                    PinEventTypes edge = p.Input == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
                    if ((eventTypes & edge) != 0)
                    {
                        return new WaitForEventResult { EventTypes = edge, TimedOut = false };
                    }

                    start = p.Input;
                }

                Monitor.Wait(_gate, 10);
            }

            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Get(pinNumber).Callbacks.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Get(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback);
        }
    }

    private Pin Get(int pin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pin);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pin, PinCountValue);
        if (!_pins.TryGetValue(pin, out Pin? p))
        {
            p = new Pin();
            _pins.Add(pin, p);
        }

        return p;
    }

    private sealed class Pin
    {
        public bool Open { get; set; }

        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Output { get; set; } = PinValue.Low;

        public PinValue Input { get; set; } = PinValue.Low;

        public List<PinValue> Writes { get; } = [];

        public List<(PinEventTypes Events, PinChangeEventHandler Handler)> Callbacks { get; } = [];
    }
}
