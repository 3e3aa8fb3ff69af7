using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace GeoEdge.FleetServer.Identity;

/// <summary>Authenticates a device call: by the client certificate of a mutual-TLS connection (device port), otherwise by
/// the request signature headers (<see cref="RequestSignature"/>), checked against the certificate issued at enrollment.</summary>
public sealed class DeviceAuthenticator
{
    private readonly FleetStore _store;
    private readonly FleetCertificateAuthority _ca;
    private readonly TimeSpan _skew;
    private readonly long _maxBodyBytes;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="store">Devices (certificates) and nonces.</param>
    /// <param name="ca">The fleet CA (client certificates must chain to it).</param>
    /// <param name="skew">Allowed clock difference of signature timestamps (nonces are remembered for twice that).</param>
    /// <param name="maxBodyBytes">Largest body a signed request may carry (it is buffered to hash it).</param>
    public DeviceAuthenticator(FleetStore store, FleetCertificateAuthority ca, TimeSpan skew, long maxBodyBytes)
    {
        _store = store;
        _ca = ca;
        _skew = skew;
        _maxBodyBytes = maxBodyBytes;
    }

    /// <summary>The device, or why not.</summary>
    public async Task<(AuthenticatedDevice? Device, AuthFailure? Failure)> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        X509Certificate2? client = context.Connection.ClientCertificate;
        return client is not null
            ? await ByCertificateAsync(client, context.RequestAborted).ConfigureAwait(false)
            : await BySignatureAsync(context).ConfigureAwait(false);
    }

    private async Task<(AuthenticatedDevice?, AuthFailure?)> ByCertificateAsync(X509Certificate2 client, CancellationToken cancellationToken)
    {
        // Kestrel's validation callback already refused other CAs; checked again so this class holds the whole rule.
        if (!_ca.IsIssuedByThisCa(client))
        {
            return (null, new AuthFailure(StatusCodes.Status401Unauthorized, "client certificate is not issued by this fleet's CA"));
        }

        string deviceId = client.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        DeviceRecord? device = await _store.Devices.GetAsync(deviceId, cancellationToken).ConfigureAwait(false);
        if (device is null)
        {
            return (null, new AuthFailure(StatusCodes.Status401Unauthorized, $"client certificate names device '{deviceId}', which is not enrolled"));
        }

        // Only the certificate of the latest enrollment counts: re-enrolling retires the previous key.
        using X509Certificate2 current = X509Certificate2.CreateFromPem(device.CertificatePem);
        if (!current.RawDataMemory.Span.SequenceEqual(client.RawDataMemory.Span))
        {
            return (null, new AuthFailure(StatusCodes.Status401Unauthorized, $"client certificate of device '{deviceId}' was replaced by a later enrollment"));
        }

        return (new AuthenticatedDevice(deviceId, "mtls"), null);
    }

    private async Task<(AuthenticatedDevice?, AuthFailure?)> BySignatureAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string? keyId = request.Headers[RequestSignature.KeyIdHeader];
        string? timestampText = request.Headers[RequestSignature.TimestampHeader];
        string? nonce = request.Headers[RequestSignature.NonceHeader];
        string? signature = request.Headers[RequestSignature.SignatureHeader];
        if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(timestampText) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
        {
            return Unauthorized($"no client certificate and no request signature ({RequestSignature.KeyIdHeader}, {RequestSignature.TimestampHeader}, {RequestSignature.NonceHeader}, {RequestSignature.SignatureHeader})");
        }

        if (!long.TryParse(timestampText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long timestamp))
        {
            return Unauthorized($"{RequestSignature.TimestampHeader} '{timestampText}' is not Unix seconds");
        }

        if (nonce.Length is < 16 or > 128)
        {
            return Unauthorized($"{RequestSignature.NonceHeader} must be 16 to 128 characters");
        }

        long now = _store.Time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - timestamp) > (long)_skew.TotalSeconds)
        {
            return Unauthorized($"{RequestSignature.TimestampHeader} {timestamp} is {now - timestamp} s from the server's clock (allowed ±{(long)_skew.TotalSeconds} s)");
        }

        DeviceRecord? device = await _store.Devices.GetAsync(keyId, context.RequestAborted).ConfigureAwait(false);
        if (device is null)
        {
            return Unauthorized($"{RequestSignature.KeyIdHeader} '{keyId}' is not an enrolled device");
        }

        byte[]? body = await BufferBodyAsync(request).ConfigureAwait(false);
        if (body is null)
        {
            return (null, new AuthFailure(StatusCodes.Status413PayloadTooLarge, $"a signed request body may be at most {_maxBodyBytes} bytes"));
        }

        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : request.Path + request.QueryString;
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(device.CertificatePem);
        using ECDsa? key = certificate.GetECDsaPublicKey();
        if (key is null || !RequestSignature.Verify(key, request.Method, target, timestamp, nonce, body, signature))
        {
            return Unauthorized($"{RequestSignature.SignatureHeader} does not verify with device '{keyId}''s key over {request.Method} {target}");
        }

        // After the signature, so unsigned junk cannot fill the nonce table; for twice the skew, so a nonce cannot come
        // back while its timestamp is still acceptable.
        if (!await _store.Nonces.TryRememberAsync(keyId, nonce, _skew + _skew, context.RequestAborted).ConfigureAwait(false))
        {
            return Unauthorized($"{RequestSignature.NonceHeader} was already used (replayed request)");
        }

        return (new AuthenticatedDevice(keyId, "signature"), null);
    }

    private async Task<byte[]?> BufferBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > _maxBodyBytes)
        {
            return null;
        }

        request.EnableBuffering();
        using var copy = new MemoryStream();
        byte[] chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (copy.Length + read > _maxBodyBytes)
            {
                return null;
            }

            copy.Write(chunk, 0, read);
        }

        request.Body.Position = 0;
        return copy.ToArray();
    }

    private static (AuthenticatedDevice?, AuthFailure?) Unauthorized(string detail) => (null, new AuthFailure(StatusCodes.Status401Unauthorized, detail));
}
