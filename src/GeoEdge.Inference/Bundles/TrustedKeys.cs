using System.Security.Cryptography;

namespace GeoEdge.Inference.Bundles;

/// <summary>The public keys a device accepts bundle signatures from, looked up by key id.</summary>
/// <remarks>Keys are held as SubjectPublicKeyInfo bytes and imported per verification, so the set owns nothing to dispose.</remarks>
public sealed class TrustedKeys
{
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public IEnumerable<string> KeyIds => _keys.Keys;

    /// <summary>No key at all: only unsigned bundles with the developer switch can open against it.</summary>
    public static TrustedKeys None => new();

    public static TrustedKeys FromPemFiles(params IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keys = new TrustedKeys();
        foreach (string path in paths)
        {
            keys.AddPem(File.ReadAllText(path), path);
        }

        return keys;
    }

    public static TrustedKeys FromPem(params IEnumerable<string> pems)
    {
        ArgumentNullException.ThrowIfNull(pems);
        var keys = new TrustedKeys();
        foreach (string pem in pems)
        {
            keys.AddPem(pem, "PEM text");
        }

        return keys;
    }

    /// <summary>Adds a P-256 public key (a "PUBLIC KEY" PEM block); returns its key id.</summary>
    public string AddPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            // A device config holding a private key is a leak waiting to happen; refuse it loudly.
            throw new CryptographicException($"{source}: holds a private key; trusted keys are public keys (BEGIN PUBLIC KEY)");
        }

        using ECDsa key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            throw new CryptographicException($"{source}: not an EC public key PEM ({e.Message})", e);
        }

        return Add(key);
    }

    /// <summary>Adds the public half of <paramref name="key"/>; returns its key id.</summary>
    public string Add(ECDsa key)
    {
        BundleKeyId.RequireP256(key);
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        string id = BundleKeyId.Of(spki);
        _keys[id] = spki;
        return id;
    }

    public bool Contains(string keyId) => _keys.ContainsKey(keyId);

    /// <summary>A new ECDsa holding the trusted public key <paramref name="keyId"/>, or null; the caller disposes it.</summary>
    public ECDsa? Get(string keyId)
    {
        if (!_keys.TryGetValue(keyId, out byte[]? spki))
        {
            return null;
        }

        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key;
    }
}
