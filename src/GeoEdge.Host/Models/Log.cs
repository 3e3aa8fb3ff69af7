using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Models;

/// <summary>The model store's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Installed {Model} {Version} ({Sha256})")]
    public static partial void Installed(ILogger logger, string model, string version, string sha256);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Activation of {Model} {Version}: {State}")]
    public static partial void Entering(ILogger logger, string model, string version, ActivationState state);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Activated {Model} {Version} (previous {Previous})")]
    public static partial void Activated(ILogger logger, string model, string version, string? previous);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Activation of {Model} {Version} failed at {State}: {Reason}; rolled back to {Active}")]
    public static partial void RolledBack(ILogger logger, string model, string version, ActivationState state, string reason, string? active);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Found the activation of {Model} {Version} interrupted at {State} (attempt {Attempts}); resuming at {Resume}")]
    public static partial void Resuming(ILogger logger, string model, string version, ActivationState state, int attempts, ActivationState resume);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Removed {Path}, left behind by an interrupted write")]
    public static partial void RemovedTemporary(ILogger logger, string path);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Loaded {Model} {Version} into its slot")]
    public static partial void Loaded(ILogger logger, string model, string version);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Error, Message = "Active {Model} {Version} cannot run: {Reason}")]
    public static partial void ActiveBroken(ILogger logger, string model, string version, string reason);
}
