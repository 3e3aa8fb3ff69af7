namespace GeoEdge.Sensors.I2c;

/// <summary>A sensor as the poller runs it: its config name, how often it is read, and which of its channels feed which graph nodes.</summary>
/// <param name="Name">The sensor's name in the device config (e.g. "env_r1"), used in errors.</param>
/// <param name="Sensor">The sensor; the poller does not dispose it.</param>
/// <param name="Period">Time between polls; positive.</param>
/// <param name="Channels">Sensor channel -> sensor-graph node (e.g. "temperature" -> "temp_r1"); unmapped channels are not read.</param>
public sealed record PolledSensor(string Name, IPolledSensor Sensor, TimeSpan Period, IReadOnlyDictionary<string, string> Channels);
