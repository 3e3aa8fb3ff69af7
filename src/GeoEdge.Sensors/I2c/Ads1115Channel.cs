namespace GeoEdge.Sensors.I2c;

/// <summary>One ADS1115 input read single-ended against GND and mapped linearly into a node value: value = volts * Scale + Offset.</summary>
/// <param name="Name">Channel name used in the channel map, e.g. "ain0" or "flow".</param>
/// <param name="Input">Analog input 0..3 (AIN0..AIN3).</param>
/// <param name="Scale">Units of the node value per volt.</param>
/// <param name="Offset">Node value at 0 V.</param>
/// <param name="Unit">Unit of the mapped value ("V" when unscaled).</param>
public sealed record Ads1115Channel(string Name, int Input, double Scale = 1, double Offset = 0, string Unit = "V")
{
    /// <summary>AIN0..AIN3 as "ain0".."ain3" in volts, the mapping when the device config gives none.</summary>
    public static IReadOnlyList<Ads1115Channel> RawInputs { get; } =
        [new("ain0", 0), new("ain1", 1), new("ain2", 2), new("ain3", 3)];
}
