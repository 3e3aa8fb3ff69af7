using System.Text.Json.Serialization;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.Host.Fleet;

/// <summary>What enrollment gave the device (identity.json).</summary>
public sealed record EnrolledIdentity(string DeviceId, string CertPem, string CaPem);

/// <summary>The reconcile loop's memory (desired.json): the desired version last acted on, its ETag, how it went and
/// whether the server has been told.</summary>
public sealed record DesiredRecord(long LastDesiredVersion, string? ETag, int StatusCode, string StatusDescription, bool Reported, int PollAfterSeconds);

/// <summary>One status waiting in the outbox, with the Idempotency-Key it was given when it was written.</summary>
public sealed record OutboxEntry(string ActionId, long Seq, string IdempotencyKey, ActionStatusReport Report);

/// <summary>A partial download's validator (the .part file's sidecar): a resume is only valid against the same ETag and length.</summary>
public sealed record DownloadRecord(string Url, string ETag, long Length);

/// <summary>The metrics queue's header: its epoch, the first seq still wanted, the seq of the next record, and windows
/// dropped (queue full) that the record with seq NextSeq must count in its DroppedBefore.</summary>
public sealed record MetricsQueueHeader(long Epoch, long HeadSeq, long NextSeq, long DroppedPending);

/// <summary>Source-generated JSON for the agent's own files (the wire types come from the contracts' context).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(EnrolledIdentity))]
[JsonSerializable(typeof(DesiredRecord))]
[JsonSerializable(typeof(OutboxEntry))]
[JsonSerializable(typeof(DownloadRecord))]
[JsonSerializable(typeof(MetricsQueueHeader))]
[JsonSerializable(typeof(OtaRecord))]
[JsonSerializable(typeof(MetricsWindow))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
