using System.Device.Gpio;
using GeoEdge.Sensors.Gpio;
using GeoEdge.Testing.Devices;

namespace GeoEdge.Sensors.Tests.Gpio;

public sealed class CaptureTriggerTests : IDisposable
{
    private const int Pin = 27;
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private readonly SimulatedGpioDriver _driver = new();
    private readonly GpioController _controller;
    private readonly CountingClock _time = Paced.Clock();

    public CaptureTriggerTests() => _controller = new GpioController(_driver);

    public void Dispose() => _controller.Dispose();

    private void Press(TimeSpan bounceGap, int bounces)
    {
        _driver.Drive(Pin, PinValue.High);
        for (int i = 0; i < bounces; i++)
        {
            _time.Advance(bounceGap);
            _driver.Drive(Pin, PinValue.Low);
            _driver.Drive(Pin, PinValue.High);
        }

        _driver.Drive(Pin, PinValue.Low);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void A_bouncing_press_is_one_request()
    {
        using var trigger = new CaptureTrigger(_controller, new CaptureTriggerOptions(Pin, 50 * Ms), _time);
        DateTimeOffset t0 = _time.GetUtcNow();
        var events = new List<CaptureRequest>();
        trigger.Requested += (_, r) => events.Add(r);

        Press(bounceGap: 2 * Ms, bounces: 3);
        _time.Advance(100 * Ms);
        Press(bounceGap: 2 * Ms, bounces: 0);

        Assert.True(trigger.Requests.TryRead(out CaptureRequest first));
        Assert.True(trigger.Requests.TryRead(out CaptureRequest second));
        Assert.False(trigger.Requests.TryRead(out _));
        Assert.Equal(new CaptureRequest(1, t0), first);
        Assert.Equal(new CaptureRequest(2, t0 + (106 * Ms)), second);
        Assert.Equal([first, second], events);
        Assert.Equal((2L, 3L), (trigger.Accepted, trigger.Bounced));
        Assert.Equal(PinMode.InputPullDown, _driver.ModeOf(Pin));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Falling_edges_request_nothing()
    {
        _driver.Drive(Pin, PinValue.High);
        using var trigger = new CaptureTrigger(_controller, new CaptureTriggerOptions(Pin, Ms, PinMode.InputPullUp), _time);

        _driver.Drive(Pin, PinValue.Low);

        Assert.False(trigger.Requests.TryRead(out _));
        Assert.Equal(0L, trigger.Accepted);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void A_slow_reader_loses_the_oldest_requests_and_they_are_counted()
    {
        using var trigger = new CaptureTrigger(_controller, new CaptureTriggerOptions(Pin, Ms), _time, capacity: 2);

        for (int i = 0; i < 3; i++)
        {
            Press(Ms, 0);
            _time.Advance(10 * Ms);
        }

        Assert.True(trigger.Requests.TryRead(out CaptureRequest oldest));
        Assert.Equal((2L, 1L), (oldest.Sequence, trigger.Overflowed));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Dispose_closes_the_pin_and_completes_the_requests()
    {
        var trigger = new CaptureTrigger(_controller, new CaptureTriggerOptions(Pin, Ms), _time);

        trigger.Dispose();
        _driver.Drive(Pin, PinValue.High);

        Assert.False(_driver.IsOpen(Pin));
        Assert.False(await trigger.Requests.WaitToReadAsync());
        Assert.Equal(0L, trigger.Accepted);
    }
}
