namespace GeoEdge.Sensors.Gpio;

/// <summary>One accepted press of the capture trigger: its sequence number (from 1) and when it came.</summary>
public readonly record struct CaptureRequest(long Sequence, DateTimeOffset Time);
