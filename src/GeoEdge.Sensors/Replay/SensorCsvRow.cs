namespace GeoEdge.Sensors.Replay;

/// <summary>One parsed row of a wide sensor CSV: its time and one value per header sensor (NaN = missing).</summary>
internal readonly record struct SensorCsvRow(DateTimeOffset Time, float[] Values);
