using System.Device.I2c;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;

namespace GeoEdge.Sensors.I2c;

/// <summary>A Bosch BME280 on I2C: temperature (°C), relative humidity (%RH) and pressure (Pa), through Iot.Device.Bindings.</summary>
/// <remarks>
/// The driver is created on the first read rather than in the constructor, so a chip that is missing or
/// unpowered at start shows up as counted read failures (retried every poll) instead of stopping the service.
/// The chip runs in normal mode (continuous measurements), so a read returns the latest finished sample
/// without waiting. Disposal: owns <paramref name="device"/> and disposes it.
/// </remarks>
public sealed class Bme280Sensor(I2cDevice device) : IPolledSensor
{
    public const string Temperature = "temperature";
    public const string Humidity = "humidity";
    public const string Pressure = "pressure";

    private readonly LazyDriver<Bme280> _driver = new(device, static d =>
    {
        var driver = new Bme280(d);
        driver.SetPowerMode(Bmx280PowerMode.Normal);
        return driver;
    });

    public IReadOnlyList<string> Channels { get; } = [Temperature, Humidity, Pressure];

    public string UnitOf(string channel) => channel switch
    {
        Temperature => "degC",
        Humidity => "%RH",
        Pressure => "Pa",
        _ => throw UnknownChannel(channel),
    };

    public bool TryRead(string channel, out double value) => channel switch
    {
        Temperature => TryReadTemperature(out value),
        Humidity => TryReadHumidity(out value),
        Pressure => TryReadPressure(out value),
        _ => throw UnknownChannel(channel),
    };

    public bool TryReadTemperature(out double celsius)
    {
        bool ok = Driver().TryReadTemperature(out UnitsNet.Temperature temperature);
        celsius = ok ? temperature.DegreesCelsius : double.NaN;
        return ok && double.IsFinite(celsius);
    }

    public bool TryReadHumidity(out double percent)
    {
        bool ok = Driver().TryReadHumidity(out UnitsNet.RelativeHumidity humidity);
        percent = ok ? humidity.Percent : double.NaN;
        return ok && double.IsFinite(percent);
    }

    public bool TryReadPressure(out double pascals)
    {
        bool ok = Driver().TryReadPressure(out UnitsNet.Pressure pressure);
        pascals = ok ? pressure.Pascals : double.NaN;
        return ok && double.IsFinite(pascals);
    }

    public void Dispose() => _driver.Dispose();

    private Bme280 Driver() => _driver.Value;

    private static ArgumentException UnknownChannel(string channel) =>
        new($"BME280 has no channel '{channel}' (channels: {Temperature}, {Humidity}, {Pressure})", nameof(channel));
}
