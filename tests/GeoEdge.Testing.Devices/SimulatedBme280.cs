using System.Device.I2c;

namespace GeoEdge.Testing.Devices;

/// <summary>A simulated Bosch BME280 (chip id 0x60) with the datasheet's calibration example loaded.</summary>
/// <remarks>
/// Register layout from the BME280 datasheet (section 5.3/5.4): calibration 0x88..0xA1 and 0xE1..0xE7,
/// chip id 0xD0, reset 0xE0, ctrl_hum 0xF2, status 0xF3, ctrl_meas 0xF4, config 0xF5, raw data 0xF7..0xFE
/// (pressure and temperature 20-bit, MSB first, in the top bits of three bytes; humidity 16-bit MSB first).
/// Writes are (register, value) pairs as the datasheet's multi-byte write specifies. The default raw sample
/// is the datasheet's compensation example (section 8.2: adc_T = 519888, adc_P = 415148), which compensates
/// to 25.08 °C and 100653.27 Pa.
/// </remarks>
public sealed class SimulatedBme280 : I2cRegisterMapDevice
{
    public const byte ChipId = 0x60;

    /// <summary>Datasheet example raw temperature.</summary>
    public const int ExampleAdcTemperature = 519888;

    /// <summary>Datasheet example raw pressure.</summary>
    public const int ExampleAdcPressure = 415148;

    public SimulatedBme280(I2cConnectionSettings connectionSettings)
        : base(connectionSettings)
    {
        SetRegister(0xD0, ChipId);
        SetCalibration(Bme280Calibration.DatasheetExample);
        SetRawSample(ExampleAdcTemperature, ExampleAdcPressure, 30000);
    }

    public SimulatedBme280()
        : this(new I2cConnectionSettings(1, 0x76))
    {
    }

    /// <summary>Times the driver wrote the soft-reset word 0xB6 to register 0xE0.</summary>
    public int Resets { get; private set; }

    public void SetCalibration(Bme280Calibration c)
    {
        ArgumentNullException.ThrowIfNull(c);
        SetLittleEndian(0x88, c.T1);
        SetLittleEndian(0x8A, (ushort)c.T2);
        SetLittleEndian(0x8C, (ushort)c.T3);
        SetLittleEndian(0x8E, c.P1);
        SetLittleEndian(0x90, (ushort)c.P2);
        SetLittleEndian(0x92, (ushort)c.P3);
        SetLittleEndian(0x94, (ushort)c.P4);
        SetLittleEndian(0x96, (ushort)c.P5);
        SetLittleEndian(0x98, (ushort)c.P6);
        SetLittleEndian(0x9A, (ushort)c.P7);
        SetLittleEndian(0x9C, (ushort)c.P8);
        SetLittleEndian(0x9E, (ushort)c.P9);
        SetRegister(0xA1, c.H1);
        SetLittleEndian(0xE1, (ushort)c.H2);
        SetRegister(0xE3, c.H3);

        // dig_H4 = 0xE4[7:0] << 4 | 0xE5[3:0]; dig_H5 = 0xE6[7:0] << 4 | 0xE5[7:4] (12-bit signed each).
        SetRegister(0xE4, (byte)(c.H4 >> 4));
        SetRegister(0xE5, (byte)((c.H4 & 0x0F) | ((c.H5 & 0x0F) << 4)));
        SetRegister(0xE6, (byte)(c.H5 >> 4));
        SetRegister(0xE7, (byte)c.H6);
    }

    /// <summary>Loads raw ADC outputs as a finished measurement would (20-bit temperature and pressure, 16-bit humidity).</summary>
    public void SetRawSample(int adcTemperature, int adcPressure, int adcHumidity)
    {
        SetRaw20(0xF7, adcPressure);
        SetRaw20(0xFA, adcTemperature);
        SetBigEndian(0xFD, (ushort)adcHumidity);
    }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length == 1)
        {
            Pointer = data[0];
            return;
        }

        // Datasheet 6.2.1: a multi-byte write is a sequence of (register address, data) pairs, no auto-increment.
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            Pointer = data[i];
            WriteRegister(data[i], data[i + 1]);
        }
    }

    protected override void WriteRegister(byte address, byte value)
    {
        if (address == 0xE0)
        {
            Resets += value == 0xB6 ? 1 : 0;
            return;
        }

        if (address is 0xF2 or 0xF4 or 0xF5)
        {
            base.WriteRegister(address, value);
        }

        // Every other register is read-only on the real chip; writes to it are ignored.
    }

    private void SetRaw20(int address, int value)
    {
        SetRegister(address, (byte)(value >> 12));
        SetRegister(address + 1, (byte)(value >> 4));
        SetRegister(address + 2, (byte)((value & 0x0F) << 4));
    }
}
