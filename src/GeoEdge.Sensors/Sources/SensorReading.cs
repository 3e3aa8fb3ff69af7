namespace GeoEdge.Sensors.Sources;

/// <summary>One sample of one sensor-graph node, in the unit the model manifest declares for that node.</summary>
/// <param name="Node">Sensor-graph node name (manifest preprocessing.sensors[].name), e.g. "temp_r1".</param>
/// <param name="Time">When the sample was taken (recorded time for replay, poll time for live sensors).</param>
/// <param name="Value">The sample; finite (a missing sample is not yielded at all).</param>
public readonly record struct SensorReading(string Node, DateTimeOffset Time, float Value);
