namespace GeoEdge.Sensors;

/// <summary>Marks the sources-and-actuators assembly (replay, UDP, I2C/SPI/GPIO sensors, GPIO outputs).</summary>
internal static class SensorsAssembly;
