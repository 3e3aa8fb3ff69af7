using System.Device.I2c;

namespace GeoEdge.Testing.Devices;

/// <summary>A simulated chip with 256 byte-wide registers behind a register pointer that auto-increments on reads and writes.</summary>
/// <remarks>
/// The usual protocol of byte-register sensors (MPU-6050, BME280 reads): a write sets the pointer from its
/// first byte and stores the following bytes at successive addresses; a read returns bytes from the pointer
/// on, advancing it. Chips that differ override <see cref="OnWrite"/>, <see cref="ReadRegister"/> or
/// <see cref="WriteRegister"/>.
/// </remarks>
public class I2cRegisterMapDevice : I2cSimulatedDevice
{
    private readonly byte[] _registers = new byte[256];

    public I2cRegisterMapDevice(I2cConnectionSettings connectionSettings)
        : base(connectionSettings)
    {
    }

    /// <summary>Where the next read or write lands.</summary>
    public byte Pointer { get; protected set; }

    /// <summary>Sets a register as the chip's own logic would (no write side effects).</summary>
    public void SetRegister(int address, byte value) => _registers[address] = value;

    public byte GetRegister(int address) => _registers[address];

    /// <summary>Stores <paramref name="value"/> at <paramref name="address"/> (low byte) and the next address (high byte).</summary>
    public void SetLittleEndian(int address, ushort value)
    {
        _registers[address] = (byte)value;
        _registers[address + 1] = (byte)(value >> 8);
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="address"/> (high byte) and the next address (low byte).</summary>
    public void SetBigEndian(int address, ushort value)
    {
        _registers[address] = (byte)(value >> 8);
        _registers[address + 1] = (byte)value;
    }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Pointer = data[0];
        foreach (byte value in data[1..])
        {
            WriteRegister(Pointer, value);
            Pointer++;
        }
    }

    protected override void OnRead(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = ReadRegister(Pointer);
            Pointer++;
        }
    }

    /// <summary>A byte the bus master wrote; chips with side effects (reset, conversion start) override this.</summary>
    protected virtual void WriteRegister(byte address, byte value) => _registers[address] = value;

    /// <summary>A byte the bus master reads; chips whose reads have side effects override this.</summary>
    protected virtual byte ReadRegister(byte address) => _registers[address];
}
