using System.Device.Gpio;
using GeoEdge.Sensors.Gpio;
using GeoEdge.Testing.Devices;

namespace GeoEdge.Sensors.Tests.Gpio;

public sealed class AlarmOutputTests : IDisposable
{
    private const int Pin = 17;
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private readonly SimulatedGpioDriver _driver = new();
    private readonly GpioController _controller;
    private readonly CountingClock _time = Paced.Clock();

    public AlarmOutputTests() => _controller = new GpioController(_driver);

    public void Dispose() => _controller.Dispose();

    private AlarmOutput Alarm(bool activeLow = false) =>
        new(_controller, new AlarmOutputOptions(Pin, activeLow, Hold: 2000 * Ms, Debounce: 200 * Ms), _time);

    [Fact]
    [Trait("Category", "Unit")]
    public void A_raise_holds_the_pin_high_for_the_hold_time()
    {
        using AlarmOutput alarm = Alarm();

        Assert.True(alarm.Raise("anomaly temp_r1"));
        _time.Advance(1999 * Ms);
        bool onBeforeHold = alarm.IsActive;
        _time.Advance(Ms);

        Assert.True(onBeforeHold);
        Assert.False(alarm.IsActive);
        Assert.Equal([PinValue.Low, PinValue.High, PinValue.Low], _driver.Writes(Pin));
        Assert.Equal(PinMode.Output, _driver.ModeOf(Pin));
        Assert.Equal((1L, "anomaly temp_r1"), (alarm.RaiseCount, alarm.LastReason));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Active_low_inverts_the_levels()
    {
        using AlarmOutput alarm = Alarm(activeLow: true);

        alarm.Raise("x");
        _time.Advance(2000 * Ms);

        Assert.Equal([PinValue.High, PinValue.Low, PinValue.High], _driver.Writes(Pin));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void A_raise_while_on_extends_the_hold_without_toggling()
    {
        using AlarmOutput alarm = Alarm();

        alarm.Raise("first");
        _time.Advance(1500 * Ms);
        alarm.Raise("second");
        _time.Advance(1999 * Ms);
        bool stillOn = alarm.IsActive;
        _time.Advance(Ms);

        Assert.True(stillOn);
        Assert.False(alarm.IsActive);
        Assert.Equal([PinValue.Low, PinValue.High, PinValue.Low], _driver.Writes(Pin));
        Assert.Equal((2L, 0L, "second"), (alarm.RaiseCount, alarm.Suppressed, alarm.LastReason));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Raises_within_the_debounce_time_are_ignored_and_do_not_extend_the_hold()
    {
        using AlarmOutput alarm = Alarm();

        alarm.Raise("a");
        _time.Advance(199 * Ms);
        bool second = alarm.Raise("b");
        _time.Advance(1801 * Ms);

        Assert.False(second);
        Assert.False(alarm.IsActive);
        Assert.Equal((1L, 1L, "a"), (alarm.RaiseCount, alarm.Suppressed, alarm.LastReason));
        Assert.Equal([PinValue.Low, PinValue.High, PinValue.Low], _driver.Writes(Pin));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void A_raise_after_the_alarm_dropped_turns_it_on_again()
    {
        using AlarmOutput alarm = Alarm();

        alarm.Raise("a");
        _time.Advance(2000 * Ms);
        alarm.Raise("b");

        Assert.Equal([PinValue.Low, PinValue.High, PinValue.Low, PinValue.High], _driver.Writes(Pin));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Dispose_turns_the_alarm_off_and_closes_the_pin()
    {
        AlarmOutput alarm = Alarm(activeLow: true);
        alarm.Raise("a");

        alarm.Dispose();
        _time.Advance(5000 * Ms);

        Assert.Equal([PinValue.High, PinValue.Low, PinValue.High], _driver.Writes(Pin));
        Assert.False(_driver.IsOpen(Pin));
        Assert.Throws<ObjectDisposedException>(() => alarm.Raise("late"));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Timing_options_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlarmOutput(_controller, new AlarmOutputOptions(Pin, false, TimeSpan.Zero, TimeSpan.Zero), _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlarmOutput(_controller, new AlarmOutputOptions(Pin, false, Ms, 2 * Ms), _time));
    }
}
