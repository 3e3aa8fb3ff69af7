namespace GeoEdge.FleetServer.Storage;

/// <summary>A store operation named a device id that is not enrolled.</summary>
public sealed class DeviceNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeviceNotFoundException()
    {
    }

    /// <summary>Creates the exception for <paramref name="deviceId"/>.</summary>
    public DeviceNotFoundException(string deviceId)
        : base($"device '{deviceId}' is not enrolled")
    {
        DeviceId = deviceId;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DeviceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The unknown id.</summary>
    public string DeviceId { get; } = string.Empty;
}
