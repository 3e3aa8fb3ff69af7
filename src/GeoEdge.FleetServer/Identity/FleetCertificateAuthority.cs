using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GeoEdge.Geometry.IO;

namespace GeoEdge.FleetServer.Identity;

/// <summary>The fleet's own small CA: an ECDSA P-256 key and self-signed certificate in the data directory, issuing device
/// client certificates (CN = deviceId) and the device port's server certificate.</summary>
public sealed class FleetCertificateAuthority : IDisposable
{
    /// <summary>The CA key file (PKCS#8 PEM, mode 0600).</summary>
    public const string KeyFileName = "ca.key.pem";

    /// <summary>The CA certificate file (PEM).</summary>
    public const string CertificateFileName = "ca.cert.pem";

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan DeviceLifetime = TimeSpan.FromDays(825);

    private readonly ECDsa _key;
    private readonly TimeProvider _time;

    private FleetCertificateAuthority(X509Certificate2 certificate, ECDsa key, TimeProvider time)
    {
        Certificate = certificate;
        _key = key;
        _time = time;
        CertificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate, PEM: what devices pin.</summary>
    public string CertificatePem { get; }

    /// <summary>Loads the CA from <paramref name="directory"/>, creating it on first start. The key is written first with
    /// mode 0600 and both files by write-temp + fsync + rename, so a crash leaves either no CA or a whole one.</summary>
    public static FleetCertificateAuthority LoadOrCreate(string directory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(time);
        string keyPath = Path.Combine(directory, KeyFileName);
        string certPath = Path.Combine(directory, CertificateFileName);
        if (File.Exists(keyPath) && File.Exists(certPath))
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(keyPath));
            return new FleetCertificateAuthority(X509Certificate2.CreateFromPem(File.ReadAllText(certPath)), key, time);
        }

        Directory.CreateDirectory(directory);
        var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        DateTimeOffset now = time.GetUtcNow();
        var request = new CertificateRequest("CN=GeoEdge Fleet CA", newKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using X509Certificate2 selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
        WriteSecret(keyPath, newKey.ExportPkcs8PrivateKeyPem());
        AtomicFile.Write(certPath, s => s.Write(Encoding.ASCII.GetBytes(selfSigned.ExportCertificatePem())));
        return new FleetCertificateAuthority(X509Certificate2.CreateFromPem(selfSigned.ExportCertificatePem()), newKey, time);
    }

    /// <summary>Issues a client certificate for <paramref name="deviceId"/> over the key in a verified CSR.</summary>
    public X509Certificate2 IssueDeviceCertificate(string deviceId, PublicKey devicePublicKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(devicePublicKey);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + deviceId), devicePublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Issue(request, DeviceLifetime);
    }

    /// <summary>A server certificate (with its private key) for the device port, valid for the given DNS names and IPs.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=GeoEdge Fleet Server", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in names)
        {
            if (System.Net.IPAddress.TryParse(name, out System.Net.IPAddress? ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 issued = Issue(request, TimeSpan.FromDays(365));
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the TLS stack gets a certificate whose key is not an ephemeral handle.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA alone (no system roots) and is within its validity.</summary>
    public bool IsIssuedByThisCa(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        return chain.Build(certificate);
    }

    private X509Certificate2 Issue(CertificateRequest request, TimeSpan lifetime)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset notAfter = now + lifetime;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive INTEGER
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddMinutes(-5), notAfter, serial);
    }

    private static void WriteSecret(string path, string pem)
    {
        AtomicFile.Write(path, stream =>
        {
            if (stream is FileStream file && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(Encoding.ASCII.GetBytes(pem));
        });
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
