using System.Security.Cryptography;
using System.Text;
using System.Buffers.Text;

namespace GeoEdge.FleetServer.Storage;

/// <summary>Bearer and enrollment secrets: made random, stored only as their SHA-256 (a leaked table grants nothing).</summary>
public static class TokenHash
{
    /// <summary>A new secret: a readable prefix and 32 random bytes (base64url).</summary>
    public static string NewSecret(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256 of the secret's UTF-8 bytes.</summary>
    public static string Of(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>A short random id for listing tokens without showing them.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
