using System.Device.I2c;
using System.Numerics;
using Iot.Device.Imu;

namespace GeoEdge.Sensors.I2c;

/// <summary>An InvenSense MPU-6050 on I2C reporting vibration: acceleration RMS (m/s²) over a short burst, and velocity RMS (mm/s) when a dominant frequency is configured.</summary>
/// <remarks>
/// Method: read <c>burstSamples</c> accelerometer samples back to back, take each sample's magnitude |a|, and
/// report sqrt(mean((|a| - mean|a|)^2)) in m/s² (channel "vibration"). Subtracting the burst mean removes
/// gravity together with the sensor's static offset and tilt, which a fixed 9.81 would not. This is an
/// acceleration RMS, not the ISO 10816 velocity RMS in mm/s: integrating to velocity needs a known, uniform
/// sample interval and a high-pass filter, and register reads over I2C come at bus speed, not at the
/// chip's sample clock. Channel "velocity" (mm/s RMS, the unit of the sensor-stgnn vib_* nodes) is offered
/// only when the machine's dominant vibration frequency f is configured: v_rms = a_rms / (2 pi f), exact for
/// vibration at that one frequency (a rotating machine at its running speed) and an estimate otherwise.
/// The ±2 g range (the driver's default,
/// 16384 LSB/g) resolves 0.6 mm/s²; the driver converts with g = 9.807 m/s².
/// The driver is created on the first read (see <see cref="Bme280Sensor"/>). Disposal: owns the device.
/// </remarks>
public sealed class Mpu6050VibrationSensor : IPolledSensor
{
    public const string Vibration = "vibration";
    public const string Velocity = "velocity";

    private readonly LazyDriver<Mpu6050> _driver;
    private readonly int _burstSamples;
    private readonly double? _dominantFrequencyHz;

    /// <param name="device">The chip's I2C device (address 0x68 or 0x69).</param>
    /// <param name="burstSamples">Samples per reading; at least 2.</param>
    /// <param name="dominantFrequencyHz">The machine's dominant vibration frequency; enables the "velocity" channel.</param>
    public Mpu6050VibrationSensor(I2cDevice device, int burstSamples = 64, double? dominantFrequencyHz = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(burstSamples, 2);
        if (dominantFrequencyHz is { } f && !(double.IsFinite(f) && f > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(dominantFrequencyHz), f, "dominant frequency must be a positive number of hertz");
        }

        _driver = new LazyDriver<Mpu6050>(device, static d => new Mpu6050(d));
        _burstSamples = burstSamples;
        _dominantFrequencyHz = dominantFrequencyHz;
        Channels = dominantFrequencyHz is null ? [Vibration] : [Vibration, Velocity];
    }

    public IReadOnlyList<string> Channels { get; }

    public string UnitOf(string channel) => channel switch
    {
        Vibration => "m/s^2",
        Velocity when _dominantFrequencyHz is not null => "mm/s",
        _ => throw UnknownChannel(channel),
    };

    public bool TryRead(string channel, out double value) => channel switch
    {
        Vibration => TryReadVibration(out value),
        Velocity when _dominantFrequencyHz is not null => TryReadVelocity(out value),
        _ => throw UnknownChannel(channel),
    };

    /// <summary>Velocity RMS in mm/s at the configured dominant frequency: a_rms / (2 pi f) * 1000.</summary>
    public bool TryReadVelocity(out double millimetresPerSecond)
    {
        if (_dominantFrequencyHz is not { } f)
        {
            throw new InvalidOperationException("velocity needs the dominant frequency; construct the sensor with dominantFrequencyHz");
        }

        bool ok = TryReadVibration(out double rms);
        millimetresPerSecond = rms / (2 * Math.PI * f) * 1000;
        return ok;
    }

    /// <summary>Acceleration-magnitude RMS about the burst mean, m/s².</summary>
    public bool TryReadVibration(out double rms)
    {
        Mpu6050 driver = Driver();
        Span<double> magnitudes = _burstSamples <= 256 ? stackalloc double[_burstSamples] : new double[_burstSamples];
        double sum = 0;
        for (int i = 0; i < magnitudes.Length; i++)
        {
            Vector3 a = driver.GetAccelerometer();
            magnitudes[i] = Math.Sqrt(((double)a.X * a.X) + ((double)a.Y * a.Y) + ((double)a.Z * a.Z));
            sum += magnitudes[i];
        }

        double mean = sum / magnitudes.Length;
        double squares = 0;
        foreach (double m in magnitudes)
        {
            squares += (m - mean) * (m - mean);
        }

        rms = Math.Sqrt(squares / magnitudes.Length);
        return double.IsFinite(rms);
    }

    public void Dispose() => _driver.Dispose();

    private Mpu6050 Driver() => _driver.Value;

    private ArgumentException UnknownChannel(string channel) =>
        new($"MPU-6050 has no channel '{channel}' (channels: {string.Join(", ", Channels)})", nameof(channel));
}
