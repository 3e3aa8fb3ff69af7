using System.Device.I2c;

namespace GeoEdge.Testing.Devices;

/// <summary>Base of simulated I2C chips: an <see cref="I2cDevice"/> that routes every transfer to the chip model and can fail like a dead bus.</summary>
/// <remarks>
/// A repeated-start <see cref="WriteRead"/> is a write followed by a read, as on the wire. While
/// <see cref="Faulted"/> is set every transfer throws the <see cref="IOException"/> a Linux I2C bus raises for
/// a chip that does not acknowledge.
/// </remarks>
public abstract class I2cSimulatedDevice : I2cDevice
{
    protected I2cSimulatedDevice(I2cConnectionSettings connectionSettings)
    {
        ConnectionSettings = connectionSettings ?? throw new ArgumentNullException(nameof(connectionSettings));
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>While true, every transfer fails with an <see cref="IOException"/> (no acknowledge).</summary>
    public bool Faulted { get; set; }

    /// <summary>Transfers (reads and writes) the chip has answered.</summary>
    public int Transfers { get; private set; }

    /// <summary>True once the driver disposed the device.</summary>
    public bool Disposed { get; private set; }

    public override byte ReadByte()
    {
        Span<byte> value = stackalloc byte[1];
        Read(value);
        return value[0];
    }

    public override void Read(Span<byte> buffer)
    {
        Begin();
        OnRead(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Begin();
        OnWrite(buffer);
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    /// <summary>The chip receives one write transfer (first byte usually the register pointer).</summary>
    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>The chip answers one read transfer.</summary>
    protected abstract void OnRead(Span<byte> data);

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void Begin()
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (Faulted)
        {
            throw new IOException($"simulated I2C device 0x{ConnectionSettings.DeviceAddress:x2} on bus {ConnectionSettings.BusId} did not acknowledge");
        }

        Transfers++;
    }
}
