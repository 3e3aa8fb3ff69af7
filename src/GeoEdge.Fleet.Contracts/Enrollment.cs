namespace GeoEdge.Fleet.Contracts;

/// <summary>POST /v1/enroll: a device claims an identity with a fleet-scoped enrollment token and a CSR for its own key.</summary>
/// <param name="EnrollmentToken">The fleet-scoped, expiring, use-limited token the device was provisioned with.</param>
/// <param name="HwId">A stable hardware id (serial number, machine-id); the same hwId enrolling again gets the same deviceId.</param>
/// <param name="CsrPem">PKCS#10 certificate request for the device's ECDSA P-256 key, PEM.</param>
/// <param name="Identity">What the device says it is; the attributes rollouts select on.</param>
public sealed record EnrollRequest(string EnrollmentToken, string HwId, string CsrPem, DeviceIdentity Identity);

/// <summary>What a device says it is when it enrolls and when it reports.</summary>
/// <param name="Board">Board name from the device config (e.g. raspberry-pi-5).</param>
/// <param name="AgentVersion">The geoedge version.</param>
/// <param name="Attributes">Free key/value attributes (site, arch, ...), matched by rollout target selectors.</param>
/// <param name="Tags">Free tags, matched by rollout target selectors.</param>
public sealed record DeviceIdentity(
    string Board,
    string AgentVersion,
    IReadOnlyDictionary<string, string>? Attributes = null,
    IReadOnlyList<string>? Tags = null);

/// <summary>201 answer to an enrollment: the device's id and the certificate the fleet CA issued for its key.</summary>
/// <param name="DeviceId">The device id (the certificate's CN and the key id of request signatures).</param>
/// <param name="CertPem">The device certificate, PEM.</param>
/// <param name="CaPem">The fleet CA certificate, PEM (the device pins it for the server's device port).</param>
/// <param name="PollAfterSeconds">When to ask for desired state first.</param>
public sealed record EnrollResponse(string DeviceId, string CertPem, string CaPem, int PollAfterSeconds);
