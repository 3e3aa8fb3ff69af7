using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>The fleet agent's log messages, with stable event ids (3000-3099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Fleet: {Request} failed ({Status}); retrying in {Seconds:0.0} s: {Reason}")]
    public static partial void Retrying(ILogger logger, string request, int status, double seconds, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Fleet: enrolled as {Device} with {Server}")]
    public static partial void Enrolled(ILogger logger, string device, string server);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Fleet: device {Device} (identity from {File})")]
    public static partial void IdentityLoaded(ILogger logger, string device, string file);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Fleet: {Loop} failed; next try in {Seconds:0.0} s: {Reason}")]
    public static partial void LoopFailed(ILogger logger, string loop, double seconds, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Fleet: desired version {Desired} ({Assignment})")]
    public static partial void Desired(ILogger logger, long desired, string assignment);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Fleet: ignoring desired version {Desired}, older than {LastActed} already acted on")]
    public static partial void StaleDesired(ILogger logger, long desired, long lastActed);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Fleet OTA {Action}: {From} --{Event}--> {To} (attempt {Attempt})")]
    public static partial void Transition(ILogger logger, string action, OtaState from, OtaEvent @event, OtaState to, int attempt);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Fleet OTA {Action}: {State} failed: {Reason}")]
    public static partial void StateFailed(ILogger logger, string action, OtaState state, string reason);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Fleet OTA {Action}: the server answered 410; the action is abandoned at {State}")]
    public static partial void Abandoned(ILogger logger, string action, OtaState state);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Information, Message = "Fleet OTA {Action}: resuming at {State} after a restart (attempt {Attempt})")]
    public static partial void Resuming(ILogger logger, string action, OtaState state, int attempt);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Information, Message = "Fleet OTA {Action}: installed; activation waits for the maintenance window {Start}-{End} UTC")]
    public static partial void ActivationDeferred(ILogger logger, string action, string start, string end);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Fleet download {Url}: resuming at byte {Offset} of {Length}")]
    public static partial void DownloadResuming(ILogger logger, string url, long offset, long length);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Fleet download {Url}: restarting from byte 0 ({Reason})")]
    public static partial void DownloadRestarting(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "Fleet metrics: the server refused a batch ({Status}); nothing is dropped, next try in {Seconds:0} s: {Reason}")]
    public static partial void MetricsRefused(ILogger logger, int status, double seconds, string reason);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Warning, Message = "Fleet metrics: the queue is full; dropped {Dropped} oldest window(s)")]
    public static partial void MetricsDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Warning, Message = "Fleet metrics: {File} had a torn tail at byte {Offset}; truncated")]
    public static partial void TornTail(ILogger logger, string file, long offset);

    [LoggerMessage(EventId = 3050, Level = LogLevel.Warning, Message = "Fleet outbox: status {Seq} of action {Action} refused ({Status}); kept, retried later: {Reason}")]
    public static partial void OutboxRefused(ILogger logger, string action, long seq, int status, string reason);
}
