using GeoEdge.Sensors.I2c;
using GeoEdge.Testing.Devices;

namespace GeoEdge.Sensors.Tests.I2c;

/// <summary>Our sensors over the real Iot.Device.Bindings drivers, talking to simulated chips.</summary>
public sealed class I2cSensorTests
{
    [Fact]
    [Trait("Category", "Unit")]
    public void Bme280_gives_the_datasheet_compensation_example()
    {
        var chip = new SimulatedBme280();
        using var sensor = new Bme280Sensor(chip);

        Assert.True(sensor.TryReadTemperature(out double celsius));
        Assert.True(sensor.TryReadPressure(out double pascals));
        Assert.True(sensor.TryReadHumidity(out double percent));

        // Datasheet 8.2: 25.08 degC and 100653.27 Pa (the floating-point formula; the 64-bit integer one gives 100653.27 too).
        Assert.Equal(25.0825, celsius, 4);
        Assert.Equal(100653.27, pascals, 0.005);
        Assert.Equal(55.0007, percent, 4);
        Assert.Equal(0b11, chip.GetRegister(0xF4) & 0b11); // normal mode: the chip measures continuously
    }

    [Fact]
    [Trait("Category", "Fault")]
    public void Bme280_with_the_wrong_chip_id_fails_its_read_with_an_io_error()
    {
        var chip = new SimulatedBme280();
        chip.SetRegister(0xD0, 0x58); // a BMP280 answers at the same address
        using var sensor = new Bme280Sensor(chip);

        Assert.Throws<IOException>(() => sensor.TryRead(Bme280Sensor.Temperature, out _));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Bme280_units_and_channels()
    {
        using var sensor = new Bme280Sensor(new SimulatedBme280());

        Assert.Equal(["temperature", "humidity", "pressure"], sensor.Channels);
        Assert.Equal(["degC", "%RH", "Pa"], sensor.Channels.Select(sensor.UnitOf));
        Assert.Throws<ArgumentException>(() => sensor.TryRead("altitude", out _));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Disposing_a_sensor_disposes_its_device_even_before_the_first_read()
    {
        var chip = new SimulatedBme280();
        var sensor = new Bme280Sensor(chip);

        sensor.Dispose();

        Assert.True(chip.Disposed);
        Assert.Throws<ObjectDisposedException>(() => sensor.TryReadTemperature(out _));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Mpu6050_vibration_is_the_rms_of_the_magnitude_about_its_mean()
    {
        var chip = new SimulatedMpu6050();
        chip.SetSamples((0, 0, 16384 + 1000), (0, 0, 16384 - 1000));
        using var sensor = new Mpu6050VibrationSensor(chip, burstSamples: 8);

        Assert.True(sensor.TryReadVibration(out double rms));

        // |a| alternates 1000 counts above and below its mean; at +-2 g one count is 2 * 9.807 / 32768 m/s^2.
        Assert.Equal(2, chip.AccelerometerFullScaleG);
        Assert.Equal(1000 * 2 * 9.807 / 32768, rms, 5);
        Assert.Equal(8, chip.SamplesRead);
        Assert.Equal("m/s^2", sensor.UnitOf("vibration"));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Mpu6050_velocity_divides_the_acceleration_rms_by_two_pi_f()
    {
        var chip = new SimulatedMpu6050();
        chip.SetSamples((0, 0, 16384 + 1000), (0, 0, 16384 - 1000));
        using var sensor = new Mpu6050VibrationSensor(chip, burstSamples: 8, dominantFrequencyHz: 25);
        using var plain = new Mpu6050VibrationSensor(new SimulatedMpu6050());

        Assert.True(sensor.TryRead("velocity", out double velocity));

        // 0.5985718 m/s^2 at 25 Hz: 0.5985718 / (2 pi 25) m/s = 3.8106 mm/s.
        Assert.Equal(1000 * 2 * 9.807 / 32768 / (2 * Math.PI * 25) * 1000, velocity, 6);
        Assert.Equal(3.8106, velocity, 4);
        Assert.Equal(["vibration", "velocity"], sensor.Channels);
        Assert.Equal("mm/s", sensor.UnitOf("velocity"));
        Assert.Equal(["vibration"], plain.Channels);
        Assert.Throws<ArgumentException>(() => plain.TryRead("velocity", out _));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Mpu6050_at_rest_reads_no_vibration_whatever_its_tilt()
    {
        var chip = new SimulatedMpu6050();
        chip.SetSamples((9830, 0, 13107)); // 0.6 g and 0.8 g: |a| = 1 g on a tilted board
        using var sensor = new Mpu6050VibrationSensor(chip, burstSamples: 4);

        Assert.True(sensor.TryRead("vibration", out double rms));

        Assert.Equal(0, rms, 9);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Ads1115_reads_volts_and_maps_them_linearly()
    {
        var chip = new SimulatedAds1115();
        chip.SetInput(0, 1.5);
        chip.SetInput(2, 3.3);
        using var sensor = new Ads1115Sensor(chip, [new Ads1115Channel("ain0", 0), new Ads1115Channel("flow", 2, Scale: 10, Offset: -1, Unit: "l/min")]);

        Assert.True(sensor.TryRead("ain0", out double volts));
        Assert.True(sensor.TryRead("flow", out double flow));

        // 1.5 V and 3.3 V are whole codes at 4.096 V full scale (125 uV per code): 12000 and 26400.
        Assert.Equal(1.5, volts, 12);
        Assert.Equal(32.0, flow, 12);
        Assert.Equal("l/min", sensor.UnitOf("flow"));
        Assert.Equal(0b110, (chip.Config >> 12) & 0x7); // the last conversion was on AIN2 single-ended
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Ads1115_channel_maps_are_checked()
    {
        var chip = new SimulatedAds1115();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Ads1115Sensor(chip, [new Ads1115Channel("x", 4)]));
        Assert.Throws<ArgumentException>(() => new Ads1115Sensor(chip, [new Ads1115Channel("x", 0), new Ads1115Channel("x", 1)]));
        Assert.Throws<ArgumentException>(() => new Ads1115Sensor(chip, [new Ads1115Channel("x", 0, Scale: double.NaN)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ads1115Sensor(chip, Ads1115Channel.RawInputs, fullScaleVolts: 5));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void The_factory_knows_the_config_kinds()
    {
        using IPolledSensor bme = I2cSensorFactory.Create("bme280", new SimulatedBme280());
        using IPolledSensor mpu = I2cSensorFactory.Create("mpu6050", new SimulatedMpu6050());
        using IPolledSensor ads = I2cSensorFactory.Create("ads1115", new SimulatedAds1115());

        Assert.IsType<Bme280Sensor>(bme);
        Assert.IsType<Mpu6050VibrationSensor>(mpu);
        Assert.Equal(["ain0", "ain1", "ain2", "ain3"], ads.Channels);
        var error = Assert.Throws<ArgumentException>(() => I2cSensorFactory.Create("dht22", new SimulatedAds1115()));
        Assert.Contains("dht22", error.Message, StringComparison.Ordinal);
    }
}
