using System.Device.I2c;

namespace GeoEdge.Sensors.I2c;

/// <summary>An Iot.Device.Bindings driver created on first use over a device the sensor owns, with the one disposal rule:
/// the driver disposes its bus device once it exists, else the device is disposed directly.</summary>
/// <remarks>Created lazily so a chip missing at boot is a counted, retried read error instead of a start-up failure.</remarks>
internal sealed class LazyDriver<TDriver>(I2cDevice device, Func<I2cDevice, TDriver> create) : IDisposable
    where TDriver : class, IDisposable
{
    private readonly I2cDevice _device = device ?? throw new ArgumentNullException(nameof(device));
    private TDriver? _driver;
    private bool _disposed;

    public TDriver Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _driver ??= create(_device);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_driver is not null)
        {
            _driver.Dispose();
        }
        else
        {
            _device.Dispose();
        }
    }
}
