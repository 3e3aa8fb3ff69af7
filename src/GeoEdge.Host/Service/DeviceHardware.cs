using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;
using GeoEdge.Host.Configuration;

namespace GeoEdge.Host.Service;

/// <summary>How the service reaches the board's buses: the real GPIO chip and I2C buses, or (in tests) simulated devices
/// built on System.Device.Gpio's own seams (a GpioDriver subclass, I2cDevice subclasses).</summary>
/// <param name="OpenGpio">Opens the GPIO controller for the configured chip; called only when the config uses GPIO.</param>
/// <param name="OpenI2c">Opens one I2C device (bus id, address).</param>
public sealed record DeviceHardware(Func<int, GpioController> OpenGpio, Func<I2cConnectionSettings, I2cDevice> OpenI2c)
{
    /// <summary>The board itself: libgpiod for the chip (the character-device interface; sysfs GPIO is deprecated) and /dev/i2c-N.</summary>
    public static DeviceHardware Board { get; } = new(chip => new GpioController(new LibGpiodDriver(chip)), I2cDevice.Create);

    public static bool UsesGpio(DeviceOptions options) =>
        options.Gpio is { } g && (g.CaptureTriggerPin is not null || options.Pipelines.Exists(p => p.Sinks.Contains("alarm")));
}
