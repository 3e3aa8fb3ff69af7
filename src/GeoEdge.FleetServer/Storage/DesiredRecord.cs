using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Storage;

/// <summary>A device's desired state as stored: the monotonic version and the assignment (null = nothing to change).</summary>
/// <param name="DesiredVersion">The version (the desired endpoint's ETag).</param>
/// <param name="Assignment">The assignment, or null.</param>
public sealed record DesiredRecord(long DesiredVersion, Assignment? Assignment);
