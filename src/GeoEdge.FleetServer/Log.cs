using Microsoft.Extensions.Logging;

namespace GeoEdge.FleetServer;

/// <summary>The fleet server's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Fleet server storage: {Provider} at {Database}, schema version {Version}")]
    public static partial void StorageReady(ILogger logger, string provider, string database, long version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Bootstrap admin token created (shown once, also written to {Path}): {Token}")]
    public static partial void BootstrapToken(ILogger logger, string path, string token);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Device {Device} enrolled (hwId {HwId})")]
    public static partial void Enrolled(ILogger logger, string device, string hwId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Enrollment refused for hwId {HwId}: {Reason}")]
    public static partial void EnrollmentRefused(ILogger logger, string hwId, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Method} {Path} refused with {Status}: {Reason}")]
    public static partial void AuthRefused(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Model {Model} {Version} registered (bundle {Sha256}, {Size} bytes)")]
    public static partial void ModelRegistered(ILogger logger, string model, string version, string sha256, long size);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Model upload rejected: {Check}: {Reason}")]
    public static partial void ModelRejected(ILogger logger, string check, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Device port (mutual TLS) on {Address}")]
    public static partial void DevicePort(ILogger logger, string address);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
}
