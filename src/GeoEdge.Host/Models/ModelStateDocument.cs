using System.Text.Json.Serialization;

namespace GeoEdge.Host.Models;

/// <summary>models/&lt;name&gt;/state.json: the active and previous versions and the activation in progress, if any.</summary>
internal sealed record ModelStateDocument
{
    public string? Active { get; init; }

    public string? Previous { get; init; }

    /// <summary>Non-null exactly while an activation is between Verify and Done.</summary>
    public ActivationRecord? Activation { get; init; }

    /// <summary>How the last activation ended (kept for `models list` and the diagnostics endpoint).</summary>
    public ActivationReport? LastActivation { get; init; }
}

/// <summary>An activation in progress, persisted before each state's side effect.</summary>
internal sealed record ActivationRecord
{
    public required string Target { get; init; }

    /// <summary>The active version when the activation started (what a rollback keeps).</summary>
    public string? From { get; init; }

    public required ActivationState State { get; init; }

    /// <summary>Processes that have run this activation; the loop counter that stops endless retries.</summary>
    public required int Attempts { get; init; }

    /// <summary>The state whose failure started a rollback.</summary>
    public ActivationState? FailedAt { get; init; }

    public string? Reason { get; init; }

    public required DateTimeOffset Started { get; init; }
}

/// <summary>The end of one activation, as recorded in state.json.</summary>
internal sealed record ActivationReport
{
    public required string Target { get; init; }

    public required bool Succeeded { get; init; }

    public ActivationState? FailedAt { get; init; }

    public string? Reason { get; init; }

    public required DateTimeOffset Finished { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ModelStateDocument))]
internal sealed partial class ModelStoreJsonContext : JsonSerializerContext;
