namespace GeoEdge.Fleet.Contracts;

/// <summary>A model version in the registry (GET /v1/models/{name}/versions, answer to POST /v1/models).</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Semantic version.</param>
/// <param name="Task">The manifest's task.</param>
/// <param name="BundleSha256">SHA-256 of the .geob (content address of the blob).</param>
/// <param name="ManifestSha256">SHA-256 of manifest.json (what devices report).</param>
/// <param name="Size">Bytes of the .geob.</param>
/// <param name="KeyId">Signing key id.</param>
/// <param name="UploadedAt">Server clock.</param>
public sealed record ModelVersionInfo(
    string Model,
    string Version,
    string Task,
    string BundleSha256,
    string ManifestSha256,
    long Size,
    string KeyId,
    DateTimeOffset UploadedAt);

/// <summary>POST /v1/rollouts: move the devices a selector picks from one version of a model to another, in stages.</summary>
/// <param name="Model">Model name.</param>
/// <param name="FromVersion">The version devices run now (auto-revert goes back to it); null = any.</param>
/// <param name="ToVersion">The version to roll out (must be in the registry).</param>
/// <param name="Target">Which devices.</param>
/// <param name="Stages">Stages in order; their sizes add up to at most all targeted devices (the last takes the rest).</param>
/// <param name="ApprovalRequired">True: nothing is assigned until POST .../approve.</param>
/// <param name="AutoRevert">True: a halted rollout assigns FromVersion back to the devices it already moved.</param>
/// <param name="HealthGate">Absolute limits on the stage's devices' signals; exceeding one halts the rollout.</param>
/// <param name="MaintenanceWindow">When the devices may activate the new version (UTC, "HH:mm"; Start &gt; End wraps
/// midnight); null = any time. A revert ignores it (reverts are forced).</param>
public sealed record RolloutRequest(
    string Model,
    string? FromVersion,
    string ToVersion,
    TargetSelector Target,
    IReadOnlyList<StageSpec> Stages,
    bool ApprovalRequired = false,
    bool AutoRevert = false,
    HealthGate? HealthGate = null,
    MaintenanceWindow? MaintenanceWindow = null);

/// <summary>Which devices a rollout targets: all given attributes must match and all given tags be present.</summary>
/// <param name="Attributes">Required attribute values.</param>
/// <param name="Tags">Required tags.</param>
/// <param name="DeviceIds">Explicit devices (in addition to the attribute/tag match being required).</param>
public sealed record TargetSelector(
    IReadOnlyDictionary<string, string>? Attributes = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? DeviceIds = null);

/// <summary>One rollout stage.</summary>
/// <param name="Name">Stage name (canary, 25%, all ...).</param>
/// <param name="Percent">Share of the targeted devices (cumulative stages are not implied: each stage adds its share).</param>
/// <param name="Count">Or an absolute device count.</param>
/// <param name="MinDevices">Finished devices needed before the error threshold is judged.</param>
/// <param name="BakeMinutes">Time after the stage's last assignment before success is judged.</param>
/// <param name="SuccessPct">Active/total needed (0–100) for the stage to succeed.</param>
/// <param name="ErrorPct">Errors/executed (0–100) above which the rollout halts.</param>
/// <param name="OnSuccess">"next" or "pause".</param>
/// <param name="InProgressTimeoutMinutes">An action without a terminal status after this long is timed_out.</param>
public sealed record StageSpec(
    string Name,
    double? Percent,
    int? Count,
    int MinDevices,
    double BakeMinutes,
    double SuccessPct,
    double ErrorPct,
    string OnSuccess,
    double InProgressTimeoutMinutes);

/// <summary>Absolute limits on what a stage's devices report for the new version.</summary>
/// <param name="MaxErrorRate">Inference errors / inferences.</param>
/// <param name="MaxP95LatencyMs">95th percentile latency from the devices' histograms.</param>
public sealed record HealthGate(double? MaxErrorRate, double? MaxP95LatencyMs);

/// <summary>GET /v1/rollouts/{id}.</summary>
/// <param name="Id">Rollout id.</param>
/// <param name="Request">What was asked.</param>
/// <param name="State">pending_approval, running, paused, halted, canceled, succeeded.</param>
/// <param name="CurrentStage">Index of the stage being executed.</param>
/// <param name="HaltReason">Why it halted, when it did.</param>
/// <param name="Stages">Per-stage device counts by action status.</param>
/// <param name="CreatedAt">Server clock.</param>
public sealed record RolloutView(
    string Id,
    RolloutRequest Request,
    string State,
    int CurrentStage,
    string? HaltReason,
    IReadOnlyList<StageProgress> Stages,
    DateTimeOffset CreatedAt);

/// <summary>One stage's devices by action status.</summary>
/// <param name="Name">Stage name.</param>
/// <param name="State">waiting, running, baking, succeeded, halted.</param>
/// <param name="Assigned">Devices assigned.</param>
/// <param name="ByStatus">Counts per status name (snake_case).</param>
public sealed record StageProgress(string Name, string State, int Assigned, IReadOnlyDictionary<string, int> ByStatus);

/// <summary>A device as the operator API and dashboard list it.</summary>
/// <param name="DeviceId">Id.</param>
/// <param name="HwId">Hardware id.</param>
/// <param name="Board">Board.</param>
/// <param name="Status">online, offline, updating, failed (derived).</param>
/// <param name="Models">What it reported.</param>
/// <param name="DesiredVersion">The current desired version.</param>
/// <param name="LastDesiredVersion">The desired version it last reported acting on.</param>
/// <param name="LastSeen">Server clock of its last authenticated call.</param>
/// <param name="Converged">True when it reported acting on the current desired version with code 200 (or was never assigned anything).</param>
public sealed record DeviceView(
    string DeviceId,
    string HwId,
    string Board,
    string Status,
    IReadOnlyList<ReportedModel> Models,
    long DesiredVersion,
    long LastDesiredVersion,
    DateTimeOffset? LastSeen,
    bool Converged = false);
