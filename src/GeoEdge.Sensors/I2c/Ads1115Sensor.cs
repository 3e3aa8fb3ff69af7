using System.Device.I2c;
using Iot.Device.Ads1115;

namespace GeoEdge.Sensors.I2c;

/// <summary>A TI ADS1115 ADC on I2C: single-ended inputs in volts, each mapped linearly into a node value.</summary>
/// <remarks>
/// Runs in single-shot (power-down) mode, the datasheet's advice when switching inputs: each read starts a
/// conversion on its input and waits for it. The full-scale range applies to every input. The driver is
/// created on the first read (see <see cref="Bme280Sensor"/>). Disposal: owns the device.
/// </remarks>
public sealed class Ads1115Sensor : IPolledSensor
{
    private readonly LazyDriver<Ads1115> _driver;
    private readonly Dictionary<string, Ads1115Channel> _channels;
    private readonly MeasuringRange _range;

    /// <param name="device">The chip's I2C device (0x48..0x4B).</param>
    /// <param name="channels">Named inputs with their linear maps; names unique, inputs 0..3.</param>
    /// <param name="fullScaleVolts">Programmable-gain full scale: 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256 V.</param>
    public Ads1115Sensor(I2cDevice device, IReadOnlyList<Ads1115Channel> channels, double fullScaleVolts = 4.096)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(channels);
        _range = RangeOf(fullScaleVolts);
        _channels = new Dictionary<string, Ads1115Channel>(StringComparer.Ordinal);
        foreach (Ads1115Channel channel in channels)
        {
            ArgumentException.ThrowIfNullOrEmpty(channel.Name, nameof(channels));
            if (channel.Input is < 0 or > 3)
            {
                throw new ArgumentOutOfRangeException(nameof(channels), channel.Input, $"ADS1115 channel '{channel.Name}': input must be 0..3");
            }

            if (!double.IsFinite(channel.Scale) || !double.IsFinite(channel.Offset))
            {
                throw new ArgumentException($"ADS1115 channel '{channel.Name}': scale and offset must be finite", nameof(channels));
            }

            if (!_channels.TryAdd(channel.Name, channel))
            {
                throw new ArgumentException($"ADS1115 channel '{channel.Name}' appears twice", nameof(channels));
            }
        }

        if (_channels.Count == 0)
        {
            throw new ArgumentException("ADS1115 needs at least one channel", nameof(channels));
        }

        _driver = new LazyDriver<Ads1115>(device, d => new Ads1115(d, InputMultiplexer.AIN0, _range, DataRate.SPS128, DeviceMode.PowerDown));
        Channels = [.. channels.Select(c => c.Name)];
    }

    public IReadOnlyList<string> Channels { get; }

    public string UnitOf(string channel) => Find(channel).Unit;

    public bool TryRead(string channel, out double value)
    {
        Ads1115Channel c = Find(channel);
        if (!TryReadVolts(c.Input, out double volts))
        {
            value = double.NaN;
            return false;
        }

        value = (volts * c.Scale) + c.Offset;
        return double.IsFinite(value);
    }

    /// <summary>Voltage of AIN<paramref name="input"/> against GND.</summary>
    public bool TryReadVolts(int input, out double volts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(input);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(input, 3);
        volts = Driver().ReadVoltage(InputMultiplexer.AIN0 + input).Volts;
        return double.IsFinite(volts);
    }

    public void Dispose() => _driver.Dispose();

    private Ads1115 Driver() => _driver.Value;

    private Ads1115Channel Find(string channel) =>
        _channels.TryGetValue(channel, out Ads1115Channel? c)
            ? c
            : throw new ArgumentException($"ADS1115 has no channel '{channel}' (channels: {string.Join(", ", Channels)})", nameof(channel));

    private static MeasuringRange RangeOf(double fullScaleVolts) => fullScaleVolts switch
    {
        6.144 => MeasuringRange.FS6144,
        4.096 => MeasuringRange.FS4096,
        2.048 => MeasuringRange.FS2048,
        1.024 => MeasuringRange.FS1024,
        0.512 => MeasuringRange.FS0512,
        0.256 => MeasuringRange.FS0256,
        _ => throw new ArgumentOutOfRangeException(nameof(fullScaleVolts), fullScaleVolts, "ADS1115 full scale is one of 6.144, 4.096, 2.048, 1.024, 0.512, 0.256 V"),
    };
}
