namespace GeoEdge.FleetServer.Identity;

/// <summary>The device a request was authenticated as, and how (the request feature later handlers read).</summary>
/// <param name="DeviceId">The device id (certificate CN / signature key id).</param>
/// <param name="Method">"mtls" or "signature".</param>
public sealed record AuthenticatedDevice(string DeviceId, string Method);

/// <summary>The operator a request was authenticated as.</summary>
/// <param name="Role">The token's role.</param>
public sealed record AuthenticatedOperator(OperatorRole Role);
