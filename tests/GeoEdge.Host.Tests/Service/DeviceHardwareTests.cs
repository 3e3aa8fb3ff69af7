using System.Device.Gpio;
using System.Text.Json.Nodes;
using GeoEdge.Host.Configuration;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Service;
using GeoEdge.Testing.Devices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GeoEdge.Host.Tests.Service;

/// <summary>The device service in process on simulated hardware (System.Device.Gpio's own seams): the alarm pin follows the
/// anomalies of the shipped recording, and a BME280 on the simulated I2C bus feeds the sensor-graph pipeline.</summary>
[Trait("Category", "Integration")]
public sealed class DeviceHardwareTests
{
    [Fact]
    public async Task Anomalies_in_the_shipped_recording_raise_the_alarm_pin()
    {
        using var dir = new TempDirectory();
        string config = ServiceProcess.WriteConfig(dir, root =>
        {
            root["gpio"] = new JsonObject { ["chip"] = 0, ["alarmPin"] = 17, ["alarmHoldMs"] = 60_000, ["alarmDebounceMs"] = 0 };
            root["pipelines"]![1]!["sinks"] = new JsonArray("events", "alarm");
            root["pipelines"]![1]!["source"]!["rateHz"] = 400;
        });
        var gpio = new SimulatedGpioDriver();
        var hardware = new DeviceHardware(_ => new GpioController(gpio), _ => throw new InvalidOperationException("no I2C in this config"));

        using IHost host = DeviceService.Build(DeviceConfiguration.Load(config), hardware);
        await host.StartAsync();
        try
        {
            // The recording's first labelled fault (rh_r5 stuck) is a few hundred rows in: at 400 rows/s, seconds.
            await WaitUntil(() => gpio.Writes(17).Contains(PinValue.High), TimeSpan.FromSeconds(90));
        }
        finally
        {
            await host.StopAsync();
        }

        // Opened low (inactive), then raised on an anomaly; held 60 s, so nothing lowered it while the test ran.
        Assert.Equal(PinMode.Output, gpio.ModeOf(17));
        Assert.Equal(PinValue.Low, gpio.Writes(17)[0]);
        Assert.Contains("\"kind\":\"anomaly\"", File.ReadAllText(dir.File("state", "events.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bme280_on_the_i2c_bus_feeds_the_sensor_graph_pipeline()
    {
        using var dir = new TempDirectory();
        string config = ServiceProcess.WriteConfig(dir, root =>
        {
            root["sensors"] = new JsonArray(new JsonObject
            {
                ["name"] = "env-room1", ["kind"] = "bme280", ["busId"] = 1, ["address"] = 0x76, ["periodMs"] = 10,
                ["channels"] = new JsonObject { ["temperature"] = "temp_r1", ["humidity"] = "rh_r1" },
            });
            root["pipelines"]![1]!["source"] = new JsonObject { ["kind"] = "sensors", ["rateHz"] = 100 };
        });
        var opened = new List<int>();
        var hardware = new DeviceHardware(_ => throw new InvalidOperationException("no GPIO in this config"), settings =>
        {
            opened.Add(settings.DeviceAddress);
            return new SimulatedBme280(settings);
        });

        using IHost host = DeviceService.Build(DeviceConfiguration.Load(config), hardware);
        MetricsRegistry metrics = host.Services.GetRequiredService<MetricsRegistry>();
        await host.StartAsync();
        try
        {
            // 64 polls fill the model's window; every later poll is a scored window.
            await WaitUntil(() => metrics.TryGet("building", "sensor-stgnn", "1.0.0", out PipelineMetrics? m) && m.Inferences + m.TotalRejections > 0, TimeSpan.FromSeconds(90));
        }
        finally
        {
            await host.StopAsync();
        }

        Assert.Equal([0x76], opened);
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout}");
            await Task.Delay(50);
        }
    }
}
