using GeoEdge.Sensors.I2c;
using GeoEdge.Sensors.Sources;
using GeoEdge.Testing.Devices;

namespace GeoEdge.Sensors.Tests.I2c;

public sealed class SensorPollerTests : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly SimulatedBme280 _bmeChip = new();
    private readonly SimulatedAds1115 _adsChip = new();
    private readonly Bme280Sensor _bme;
    private readonly Ads1115Sensor _ads;

    public SensorPollerTests()
    {
        _bme = new Bme280Sensor(_bmeChip);
        _ads = new Ads1115Sensor(_adsChip, Ads1115Channel.RawInputs);
        _adsChip.SetInput(1, 0.5);
    }

    public void Dispose()
    {
        _bme.Dispose();
        _ads.Dispose();
    }

    private SensorPoller Poller(CountingClock time) => new(
        [
            new PolledSensor("env_r1", _bme, Second, new Dictionary<string, string> { ["temperature"] = "temp_r1", ["pressure"] = "p_r1" }),
            new PolledSensor("adc", _ads, 2 * Second, new Dictionary<string, string> { ["ain1"] = "v_r1" }),
        ],
        time);

    [Fact]
    [Trait("Category", "Unit")]
    public async Task Each_sensor_is_polled_at_its_period_and_its_channels_become_nodes()
    {
        var time = Paced.Clock();
        DateTimeOffset t0 = time.GetUtcNow();
        SensorPoller poller = Poller(time);

        var readings = new List<SensorReading>();
        await using var items = poller.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        for (int i = 0; i < 8; i++)
        {
            readings.Add(await Paced.NextAsync(items, time, Second));
        }

        Assert.Equal(
            [("temp_r1", 0.0), ("p_r1", 0), ("v_r1", 0), ("temp_r1", 1), ("p_r1", 1), ("temp_r1", 2), ("p_r1", 2), ("v_r1", 2)],
            readings.Select(r => (r.Node, (r.Time - t0).TotalSeconds)));
        Assert.Equal(25.0825f, readings[0].Value, 0.0001f);
        Assert.Equal(100653.27f, readings[1].Value, 0.01f);
        Assert.Equal(0.5f, readings[2].Value);
        Assert.Equal((5L, 0L, 0L), (poller.Counters.Frames, poller.Counters.Errors, poller.Counters.Lost));
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task A_failing_sensor_is_counted_and_skipped_while_the_others_go_on()
    {
        var time = Paced.Clock();
        SensorPoller poller = Poller(time);
        _bmeChip.Faulted = true;

        var readings = new List<SensorReading>();
        await using var items = poller.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        readings.Add(await Paced.NextAsync(items, time, Second));
        readings.Add(await Paced.NextAsync(items, time, Second));
        _bmeChip.Faulted = false;
        readings.Add(await Paced.NextAsync(items, time, Second));

        Assert.Equal(["v_r1", "v_r1", "temp_r1"], readings.Select(r => r.Node));
        Assert.Equal(TimeSpan.FromSeconds(2), readings[1].Time - readings[0].Time);
        Assert.Equal(TimeSpan.FromSeconds(3), readings[2].Time - readings[0].Time);
        // The BME280 polls at 0, 1 and 2 s (polled before the ADC at 2 s) failed both mapped channels.
        Assert.Equal((6L, 6L), (poller.Counters.Errors, poller.Counters.Lost));
        var error = Assert.IsType<SensorReadException>(poller.Counters.LastError);
        Assert.Equal(("env_r1", "pressure", "p_r1"), (error.Sensor, error.Channel, error.Node));
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Channel_maps_are_checked_against_the_sensor_and_each_other()
    {
        var time = Paced.Clock();
        var unknown = new PolledSensor("env", _bme, Second, new Dictionary<string, string> { ["altitude"] = "a" });
        var first = new PolledSensor("env", _bme, Second, new Dictionary<string, string> { ["temperature"] = "t" });
        var same = new PolledSensor("adc", _ads, Second, new Dictionary<string, string> { ["ain0"] = "t" });
        var still = new PolledSensor("adc", _ads, TimeSpan.Zero, new Dictionary<string, string> { ["ain0"] = "u" });

        Assert.Contains("no channel 'altitude'", Assert.Throws<ArgumentException>(() => new SensorPoller([unknown], time)).Message, StringComparison.Ordinal);
        Assert.Contains("node 't' is fed by both env.temperature and adc.ain0", Assert.Throws<ArgumentException>(() => new SensorPoller([first, same], time)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensorPoller([still], time));
    }
}
