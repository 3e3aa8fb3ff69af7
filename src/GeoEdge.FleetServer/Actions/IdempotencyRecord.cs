using System.Security.Cryptography;

namespace GeoEdge.FleetServer.Actions;

/// <summary>The first answer given to one Idempotency-Key, with the hash of the body it answered (IETF
/// draft-ietf-httpapi-idempotency-key-header: a replay gets the first answer, the same key with another body 422).</summary>
/// <param name="Key">The Idempotency-Key header value (scoped to the device).</param>
/// <param name="BodySha256">Hex SHA-256 of the request body.</param>
/// <param name="HttpStatus">The status first answered.</param>
public sealed record IdempotencyRecord(string Key, string BodySha256, int HttpStatus)
{
    /// <summary>Longest key accepted (the key is stored).</summary>
    public const int MaxKeyLength = 200;

    public static string Hash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
