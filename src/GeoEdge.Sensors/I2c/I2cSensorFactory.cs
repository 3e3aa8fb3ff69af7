using System.Device.I2c;

namespace GeoEdge.Sensors.I2c;

/// <summary>Creates a polled sensor from the device config's "kind" string: bme280, mpu6050 or ads1115.</summary>
public static class I2cSensorFactory
{
    public static IReadOnlyList<string> Kinds { get; } = ["bme280", "mpu6050", "ads1115"];

    /// <summary>The sensor of <paramref name="kind"/> over <paramref name="device"/>, which it then owns.</summary>
    /// <param name="ads1115Channels">ADS1115 inputs and their linear maps; null means <see cref="Ads1115Channel.RawInputs"/>.</param>
    /// <param name="vibrationFrequencyHz">MPU-6050 dominant vibration frequency; enables its "velocity" channel (mm/s RMS).</param>
    public static IPolledSensor Create(string kind, I2cDevice device, IReadOnlyList<Ads1115Channel>? ads1115Channels = null, double? vibrationFrequencyHz = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        return kind switch
        {
            "bme280" => new Bme280Sensor(device),
            "mpu6050" => new Mpu6050VibrationSensor(device, dominantFrequencyHz: vibrationFrequencyHz),
            "ads1115" => new Ads1115Sensor(device, ads1115Channels ?? Ads1115Channel.RawInputs),
            _ => throw new ArgumentException($"unknown sensor kind '{kind}' (kinds: {string.Join(", ", Kinds)})", nameof(kind)),
        };
    }
}
