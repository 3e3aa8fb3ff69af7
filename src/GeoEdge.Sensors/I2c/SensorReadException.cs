namespace GeoEdge.Sensors.I2c;

/// <summary>A sensor channel read that failed, naming the sensor, channel and node it was for.</summary>
public sealed class SensorReadException : IOException
{
    public SensorReadException()
        : this("sensor read failed")
    {
    }

    public SensorReadException(string message)
        : base(message)
    {
        Sensor = Channel = Node = string.Empty;
    }

    public SensorReadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Sensor = Channel = Node = string.Empty;
    }

    public SensorReadException(string sensor, string channel, string node, Exception innerException)
        : base($"sensor '{sensor}' channel '{channel}' (node '{node}'): {innerException?.Message}", innerException)
    {
        Sensor = sensor;
        Channel = channel;
        Node = node;
    }

    public string Sensor { get; }

    public string Channel { get; }

    public string Node { get; }
}
