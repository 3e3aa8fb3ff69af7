using System.Device.I2c;

namespace GeoEdge.Testing.Devices;

/// <summary>A simulated InvenSense MPU-6050 (WHO_AM_I 0x68) that plays a sequence of raw accelerometer samples.</summary>
/// <remarks>
/// Registers per the MPU-6000/6050 register map: ACCEL_CONFIG 0x1C (AFS_SEL in bits 4:3), ACCEL_XOUT_H..ZOUT_L
/// 0x3B..0x40 (big-endian int16), PWR_MGMT_1 0x6B (bit 7 resets the registers to their defaults and clears itself,
/// leaving SLEEP set), WHO_AM_I 0x75. Each read transfer that starts at 0x3B latches the next sample of the
/// sequence (cycling), as if the chip had taken a new sample since the last read.
/// </remarks>
public sealed class SimulatedMpu6050 : I2cRegisterMapDevice
{
    public const byte WhoAmI = 0x68;
    private const byte AccelXHigh = 0x3B;
    private const byte PowerManagement1 = 0x6B;

    private readonly List<(short X, short Y, short Z)> _samples = [];
    private int _next;

    public SimulatedMpu6050(I2cConnectionSettings connectionSettings)
        : base(connectionSettings)
    {
        LoadDefaults();
    }

    public SimulatedMpu6050()
        : this(new I2cConnectionSettings(1, 0x68))
    {
    }

    /// <summary>Full scale of the accelerometer in g, from ACCEL_CONFIG as the driver last set it (2, 4, 8 or 16).</summary>
    public int AccelerometerFullScaleG => 2 << ((GetRegister(0x1C) >> 3) & 0x03);

    /// <summary>Replaces the sample sequence with raw counts per axis.</summary>
    public void SetSamples(params (short X, short Y, short Z)[] samples)
    {
        _samples.Clear();
        _samples.AddRange(samples);
        _next = 0;
        Latch();
    }

    /// <summary>Sample reads served so far.</summary>
    public int SamplesRead { get; private set; }

    protected override void OnRead(Span<byte> data)
    {
        if (Pointer == AccelXHigh)
        {
            Latch();
            SamplesRead++;
        }

        base.OnRead(data);
    }

    protected override void WriteRegister(byte address, byte value)
    {
        if (address == PowerManagement1 && (value & 0x80) != 0)
        {
            LoadDefaults();
            return;
        }

        if (address is 0x75 or (>= 0x3B and <= 0x48))
        {
            return; // read-only
        }

        base.WriteRegister(address, value);
    }

    private void LoadDefaults()
    {
        for (int r = 0; r < 256; r++)
        {
            SetRegister(r, 0);
        }

        SetRegister(PowerManagement1, 0x40);
        SetRegister(0x75, WhoAmI);
        Latch();
    }

    private void Latch()
    {
        if (_samples.Count == 0)
        {
            return;
        }

        (short x, short y, short z) = _samples[_next];
        _next = (_next + 1) % _samples.Count;
        SetBigEndian(AccelXHigh, (ushort)x);
        SetBigEndian(AccelXHigh + 2, (ushort)y);
        SetBigEndian(AccelXHigh + 4, (ushort)z);
    }
}
