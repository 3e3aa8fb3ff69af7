using GeoEdge.Geometry;

namespace GeoEdge.Sensors.Sources;

/// <summary>One point cloud delivered by a source, with where and when it came from.</summary>
/// <param name="FrameId">Source-assigned sequence number (replay: emitted frame count; UDP: the sender's frame id).</param>
/// <param name="Timestamp">When the source emitted the frame, from the source's <see cref="TimeProvider"/>.</param>
/// <param name="Cloud">The points; the frame owns them and nothing writes to them after emission.</param>
/// <param name="Origin">Where the frame came from: a file name for replay, "ip:port" of the sender for UDP.</param>
public sealed record PointCloudFrame(long FrameId, DateTimeOffset Timestamp, PointCloud Cloud, string Origin);
