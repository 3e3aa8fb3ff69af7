namespace GeoEdge.FleetServer.Identity;

/// <summary>Why a request was not authenticated: 401 (who are you?) or 403 (not allowed), with the reason.</summary>
/// <param name="Status">401 or 403.</param>
/// <param name="Detail">What failed, for the problem document and the log.</param>
public sealed record AuthFailure(int Status, string Detail);
