namespace GeoEdge.Host.Diagnostics;

/// <summary>Port: what the running device is (board, pipelines, models); `geoedge run` implements it, diagnostics reads it.</summary>
/// <remarks>Called per status/readiness request, from request threads: return a consistent copy, never block on a pipeline.</remarks>
public interface IDeviceState
{
    DeviceSnapshot Snapshot();
}

/// <summary>The device as the run loop sees it at one moment.</summary>
/// <param name="Device">The device's name (hostname or configured id).</param>
/// <param name="Board">The board section of the device config.</param>
/// <param name="StartedAt">When the service started (uptime is measured from it).</param>
/// <param name="ExecutionProvider">The ONNX Runtime execution provider sessions use ("cpu", "cuda", "tensorrt").</param>
/// <param name="Pipelines">Every configured pipeline with its heartbeat.</param>
/// <param name="Models">Every configured model with its active and previous versions.</param>
public sealed record DeviceSnapshot(
    string Device,
    BoardInfo Board,
    DateTimeOffset StartedAt,
    string ExecutionProvider,
    IReadOnlyList<PipelineHeartbeat> Pipelines,
    IReadOnlyList<ModelState> Models);

/// <summary>The board section of the device config, as status reports it.</summary>
public sealed record BoardInfo(string Name, string Arch, string Accelerator, string? Description = null);

/// <summary>A pipeline's liveness: the model version it runs, when it last completed a tick and how often it should.</summary>
/// <param name="Name">The pipeline's configured name (the <c>pipeline</c> label of its metrics).</param>
/// <param name="Model">The model it runs.</param>
/// <param name="Version">The model version it runs now (null while loading).</param>
/// <param name="LastTick">When it last took an input through (result or rejection); null before the first.</param>
/// <param name="ExpectedPeriod">How often it should tick (1 / rateHz, a sensor window's period).</param>
/// <param name="FailedInARow">Inferences that threw in a row since the last one that gave a result (0 when that one did).</param>
/// <param name="LastError">The last of those errors ("Type: message"); null when the last inference gave a result.</param>
public sealed record PipelineHeartbeat(string Name, string Model, string? Version, DateTimeOffset? LastTick, TimeSpan ExpectedPeriod, int FailedInARow = 0, string? LastError = null);

/// <summary>A model's slot state: loaded or not, active and previous versions.</summary>
public sealed record ModelState(string Name, bool Loaded, string? Active, string? Previous);
