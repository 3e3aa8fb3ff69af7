namespace GeoEdge.Sensors.Replay;

/// <summary>How a recording is replayed: emissions per second of wall time, and whether it starts over at the end.</summary>
/// <param name="RateHz">Frames (point cloud replay) or rows (CSV replay) per second; positive and finite.</param>
/// <param name="Loop">True to start over after the last file or row; false to end the stream there.</param>
public sealed record ReplayOptions(double RateHz, bool Loop);
