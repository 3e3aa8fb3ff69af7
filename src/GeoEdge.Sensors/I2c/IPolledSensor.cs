namespace GeoEdge.Sensors.I2c;

/// <summary>A sensor read on demand by <see cref="SensorPoller"/>: named channels, each read in SI-style units.</summary>
/// <remarks>
/// Disposal rule for implementations: a sensor owns the bus device it was given and disposes it, as the
/// Iot.Device.Bindings drivers do; whoever created the sensor disposes the sensor.
/// </remarks>
public interface IPolledSensor : IDisposable
{
    /// <summary>Channel names this sensor offers, e.g. "temperature", "humidity", "pressure".</summary>
    IReadOnlyList<string> Channels { get; }

    /// <summary>The unit of each channel, e.g. "degC", "%RH", "Pa", "V", "m/s^2".</summary>
    string UnitOf(string channel);

    /// <summary>Reads one channel; false when the chip reports no sample. Bus failures throw <see cref="IOException"/>.</summary>
    bool TryRead(string channel, out double value);
}
