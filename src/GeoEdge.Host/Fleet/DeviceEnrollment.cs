using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>The device's fleet identity: an ECDSA P-256 key made on the device (0600, written atomically), a CSR for it
/// sent once to POST /v1/enroll, and the deviceId, certificate and CA kept from the answer; later starts reuse them.</summary>
public static class DeviceEnrollment
{
    /// <summary>The stored credentials, or null when the device has not enrolled yet.</summary>
    public static DeviceCredentials? TryLoad(AgentFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!File.Exists(files.Identity) || !File.Exists(files.Key))
        {
            return null;
        }

        EnrolledIdentity identity = JsonSerializer.Deserialize(File.ReadAllBytes(files.Identity), AgentJsonContext.Default.EnrolledIdentity)
            ?? throw new InvalidDataException($"{files.Identity}: empty identity file");
        ECDsa key = LoadKey(files.Key);
        using var certificate = X509Certificate2.CreateFromPem(identity.CertPem);
        return new DeviceCredentials(identity.DeviceId, key, certificate.CopyWithPrivateKey(key), X509Certificate2.CreateFromPem(identity.CaPem));
    }

    /// <summary>Loads the identity, or enrolls with <paramref name="enrollmentToken"/> and stores the result first.</summary>
    public static async Task<DeviceCredentials> LoadOrEnrollAsync(AgentFiles files, FleetClient client, string hwId, string enrollmentToken,
        GeoEdge.Fleet.Contracts.DeviceIdentity identity, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(client);
        if (TryLoad(files) is { } stored)
        {
            Log.IdentityLoaded(logger, stored.DeviceId, files.Identity);
            return stored;
        }

        // The key survives a failed enrollment: a retry sends a CSR for the same key (the server maps hwId to one device).
        ECDsa key = File.Exists(files.Key) ? LoadKey(files.Key) : CreateKey(files.Key);
        try
        {
            var csr = new CertificateRequest(new X500DistinguishedName($"CN={hwId}"), key, HashAlgorithmName.SHA256);
            EnrollResponse enrolled = await client.EnrollAsync(new EnrollRequest(enrollmentToken, hwId, csr.CreateSigningRequestPem(), identity), cancellationToken).ConfigureAwait(false);
            using var certificate = X509Certificate2.CreateFromPem(enrolled.CertPem);
            if (certificate.GetECDsaPublicKey() is not { } issued || !issued.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new FleetRequestException("POST /v1/enroll", 201, new FleetProblem(null, "wrong certificate", null, "the issued certificate is not for this device's key"), transient: false);
            }

            DurableFile.Write(files.Identity, JsonSerializer.SerializeToUtf8Bytes(new EnrolledIdentity(enrolled.DeviceId, enrolled.CertPem, enrolled.CaPem), AgentJsonContext.Default.EnrolledIdentity));
            Log.Enrolled(logger, enrolled.DeviceId, client.ServerUrl.ToString());
            return new DeviceCredentials(enrolled.DeviceId, key, certificate.CopyWithPrivateKey(key), X509Certificate2.CreateFromPem(enrolled.CaPem));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>/etc/machine-id, the systemd machine id: stable across reboots, unique per installation.</summary>
    public static string MachineId(string path = "/etc/machine-id") =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException($"{path} is missing or empty: set fleet.hwId in the device config");

    private static ECDsa CreateKey(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        DurableFile.Write(path, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()), privateFile: true);
        return key;
    }

    private static ECDsa LoadKey(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new InvalidDataException($"{path}: not a PEM private key ({e.Message})", e);
        }
    }
}
