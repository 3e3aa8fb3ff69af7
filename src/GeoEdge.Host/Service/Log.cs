using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>The service's log messages, with stable event ids (journalctl filters and alerting key on them).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Model {Model} {Version} active on {Provider}")]
    public static partial void ModelReady(ILogger logger, string model, string version, string provider);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Model {Model}: installed {Version} from {Bundle}")]
    public static partial void ModelInstalled(ILogger logger, string model, string version, string bundle);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Model {Model}: recovery: {Problem}")]
    public static partial void RecoveryProblem(ILogger logger, string model, string problem);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Model {Model}: activation of {Version} failed: {Reason}")]
    public static partial void ActivationFailed(ILogger logger, string model, string version, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Pipeline {Pipeline} started: model {Model}, source {Source}")]
    public static partial void PipelineStarted(ILogger logger, string pipeline, string model, string source);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Pipeline {Pipeline} ended: {Counters}")]
    public static partial void PipelineEnded(ILogger logger, string pipeline, string counters);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Pipeline {Pipeline} failed and stops")]
    public static partial void PipelineFailed(ILogger logger, string pipeline, Exception error);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Error, Message = "Pipeline {Pipeline}: inference on {Model} {Version} failed; input dropped, pipeline goes on ({Errors} error(s) since the last report)")]
    public static partial void InferenceFailed(ILogger logger, string pipeline, string model, string version, long errors, Exception error);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: no active version of model {Model}; input skipped")]
    public static partial void NoActiveModel(ILogger logger, string pipeline, string model);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "{Pipeline} {Model} {Version}: {Kind} {Label}{Confidence} in {LatencyMs:0.00} ms; {Detail}")]
    public static partial void Result(ILogger logger, string pipeline, string model, string version, string kind, string? label, string confidence, double latencyMs, string? detail);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Pipeline {Pipeline}: captured a frame to {File} (GPIO trigger)")]
    public static partial void Captured(ILogger logger, string pipeline, string file);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Ready: {Models} model(s) verified, loaded and warmed; {Pipelines} pipeline(s) running")]
    public static partial void Ready(ILogger logger, int models, int pipelines);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Information, Message = "Stopping: draining pipelines")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "Fault injection: pipeline {Pipeline} hangs now (GEOEDGE_FAULT_HANG_PIPELINE)")]
    public static partial void InjectedHang(ILogger logger, string pipeline);
}
