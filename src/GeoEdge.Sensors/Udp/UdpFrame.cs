using GeoEdge.Geometry;

namespace GeoEdge.Sensors.Udp;

/// <summary>A frame the assembler completed: the sender's frame id and the reassembled cloud.</summary>
public sealed record UdpFrame(uint FrameId, PointCloud Cloud);
