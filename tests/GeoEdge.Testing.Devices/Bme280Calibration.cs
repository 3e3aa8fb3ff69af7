namespace GeoEdge.Testing.Devices;

/// <summary>BME280 trimming parameters (dig_T1..dig_H6) as the chip stores them.</summary>
public sealed record Bme280Calibration(
    ushort T1, short T2, short T3,
    ushort P1, short P2, short P3, short P4, short P5, short P6, short P7, short P8, short P9,
    byte H1, short H2, byte H3, short H4, short H5, sbyte H6)
{
    /// <summary>
    /// Temperature and pressure words from the Bosch compensation example (BMP280/BME280 datasheet section 8.2);
    /// the datasheet gives no humidity example, so H1..H6 are values typical of real parts
    /// (75, 362, 0, 313, 50, 30), with which adc_H = 30000 at t_fine = 128422 compensates to 55.0007 %RH.
    /// </summary>
    public static Bme280Calibration DatasheetExample { get; } = new(
        27504, 26435, -1000,
        36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
        75, 362, 0, 313, 50, 30);
}
