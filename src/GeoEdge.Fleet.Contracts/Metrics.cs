namespace GeoEdge.Fleet.Contracts;

/// <summary>POST /v1/devices/{id}/metrics:batch: consecutive metric windows from the device's on-disk queue.</summary>
/// <param name="Epoch">Changes when the device's queue is recreated (sequence numbers restart); (device, epoch, seq) is unique.</param>
/// <param name="FirstSeq">Seq of the first record.</param>
/// <param name="LastSeq">Seq of the last record.</param>
/// <param name="Records">The windows, in seq order.</param>
public sealed record MetricsBatch(long Epoch, long FirstSeq, long LastSeq, IReadOnlyList<MetricsWindow> Records);

/// <summary>One aggregation window of one model version's inference metrics on one device.</summary>
/// <param name="Seq">Sequence number in the device's queue (per epoch).</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Start">Window start (device clock).</param>
/// <param name="End">Window end (device clock).</param>
/// <param name="Inferences">Inferences run, those that failed included (so Errors / Inferences is the error rate).</param>
/// <param name="Errors">Inferences that failed (exceptions from the pipeline or the runtime).</param>
/// <param name="Rejections">Inputs refused by validation, by reason.</param>
/// <param name="OodCount">Inferences whose OOD score passed the threshold.</param>
/// <param name="ConfidenceHistogram">Counts of calibrated top-1 confidence in 10 equal bins over [0, 1].</param>
/// <param name="LatencyBoundsMs">Upper bounds (ms) of the latency histogram's buckets; the last bucket is +Inf.</param>
/// <param name="LatencyCounts">Counts per latency bucket (LatencyBoundsMs.Count + 1 entries).</param>
/// <param name="Anomalies">Anomaly counts (sensor models): per sensor name, the scored windows that flagged it; "windows", those that flagged any.</param>
/// <param name="DriftScore">Input drift score of the window's inputs: the largest standardized shift of an input feature's mean from
/// the bundle's drift reference, in reference standard deviations, capped at 10 (above 3 = drifted); null when the bundle has no
/// drift reference or the window had no inferences.</param>
/// <param name="DroppedBefore">Windows dropped from the full queue since the previous record (the device counts, never hides, a loss).</param>
public sealed record MetricsWindow(
    long Seq,
    string Model,
    string Version,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Inferences,
    long Errors,
    IReadOnlyDictionary<string, long> Rejections,
    long OodCount,
    IReadOnlyList<long> ConfidenceHistogram,
    IReadOnlyList<double> LatencyBoundsMs,
    IReadOnlyList<long> LatencyCounts,
    IReadOnlyDictionary<string, long> Anomalies,
    double? DriftScore,
    long DroppedBefore);

/// <summary>Answer to a metrics batch: everything through AckedThroughSeq is stored; the device may delete it.</summary>
/// <param name="AckedThroughSeq">Highest seq stored for this (device, epoch) with no gap below it in this batch.</param>
/// <param name="Written">Records newly inserted by this request (replays count 0).</param>
public sealed record MetricsAck(long AckedThroughSeq, int Written);
