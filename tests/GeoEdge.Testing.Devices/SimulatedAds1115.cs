using System.Device.I2c;

namespace GeoEdge.Testing.Devices;

/// <summary>A simulated TI ADS1115 16-bit ADC: pointer register, config and conversion registers, voltages set per input.</summary>
/// <remarks>
/// Per the ADS1115 datasheet (section 9.6): a write's first byte selects the register (pointer bits 1:0:
/// 0 conversion, 1 config, 2 Lo_thresh, 3 Hi_thresh), two more bytes write it MSB first; reads return the
/// selected register MSB first. Writing the config with OS = 1 (or continuous mode, MODE = 0) converts at
/// once: the conversion register gets round(V / FSR * 32768), clamped to int16, for the input the MUX bits
/// select, and OS reads back 1 (no conversion in progress).
/// </remarks>
public sealed class SimulatedAds1115 : I2cSimulatedDevice
{
    private static readonly double[] s_fullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private readonly ushort[] _registers = [0, 0x8583, 0x8000, 0x7FFF];
    private readonly double[] _inputs = new double[4];
    private int _pointer;

    public SimulatedAds1115(I2cConnectionSettings connectionSettings)
        : base(connectionSettings)
    {
    }

    public SimulatedAds1115()
        : this(new I2cConnectionSettings(1, 0x48))
    {
    }

    public ushort Config => _registers[1];

    /// <summary>Conversions performed so far.</summary>
    public int Conversions { get; private set; }

    /// <summary>Sets the voltage on AIN0..AIN3 against GND.</summary>
    public void SetInput(int input, double volts) => _inputs[input] = volts;

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _pointer = data[0] & 0x03;
        if (data.Length < 3)
        {
            return;
        }

        ushort value = (ushort)((data[1] << 8) | data[2]);
        if (_pointer == 0)
        {
            return; // the conversion register is read-only
        }

        _registers[_pointer] = value;
        if (_pointer == 1 && ((value & 0x8000) != 0 || (value & 0x0100) == 0))
        {
            Convert();
        }
    }

    protected override void OnRead(Span<byte> data)
    {
        if (_pointer == 0 && (_registers[1] & 0x0100) == 0)
        {
            Convert(); // continuous mode keeps converting
        }

        ushort value = _pointer == 1 ? (ushort)(_registers[1] | 0x8000) : _registers[_pointer];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (i & 1) == 0 ? (byte)(value >> 8) : (byte)value;
        }
    }

    private void Convert()
    {
        int mux = (_registers[1] >> 12) & 0x07;
        double volts = mux switch
        {
            0 => _inputs[0] - _inputs[1],
            1 => _inputs[0] - _inputs[3],
            2 => _inputs[1] - _inputs[3],
            3 => _inputs[2] - _inputs[3],
            _ => _inputs[mux - 4],
        };
        double fullScale = s_fullScale[(_registers[1] >> 9) & 0x07];
        double code = Math.Round(volts / fullScale * 32768.0, MidpointRounding.AwayFromZero);
        _registers[0] = (ushort)(short)Math.Clamp(code, short.MinValue, short.MaxValue);
        _registers[1] |= 0x8000;
        Conversions++;
    }
}
