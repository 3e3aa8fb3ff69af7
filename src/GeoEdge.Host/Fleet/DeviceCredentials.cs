using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GeoEdge.Host.Fleet;

/// <summary>What the device signs requests with and presents for mTLS: its id (the key id) and its private key; the
/// certificate and CA come from enrollment. Owns the key and the certificates (Dispose releases them).</summary>
public sealed class DeviceCredentials(string deviceId, ECDsa key, X509Certificate2? certificate, X509Certificate2? ca) : IDisposable
{
    public string DeviceId { get; } = deviceId;

    public ECDsa Key { get; } = key;

    /// <summary>The device certificate (CN = deviceId) with the private key attached, for mTLS.</summary>
    public X509Certificate2? Certificate { get; } = certificate;

    /// <summary>The fleet CA, pinned for the server's TLS certificate.</summary>
    public X509Certificate2? Ca { get; } = ca;

    public void Dispose()
    {
        Certificate?.Dispose();
        Ca?.Dispose();
        Key.Dispose();
    }
}
