using System.Security.Cryptography;

namespace GeoEdge.Inference.Bundles;

/// <summary>Creates and loads the ECDSA P-256 private keys that sign bundles (PKCS#8 PEM on disk).</summary>
public static class BundleSigningKey
{
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Loads a P-256 private key from a "PRIVATE KEY" (PKCS#8) or "EC PRIVATE KEY" PEM file; the caller disposes it.</summary>
    public static ECDsa LoadPem(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string pem = File.ReadAllText(path);
        if (!pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new CryptographicException($"{path}: not a private key PEM (expected BEGIN PRIVATE KEY)");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            BundleKeyId.RequireP256(key);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new CryptographicException($"{path}: {e.Message}", e);
        }
    }
}
