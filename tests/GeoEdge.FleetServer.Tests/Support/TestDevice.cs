using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Server;

namespace GeoEdge.FleetServer.Tests.Support;

/// <summary>A simulated device: its own P-256 key, enrolled through the real endpoint, calling the server signed or over mutual TLS.</summary>
internal sealed class TestDevice : IDisposable
{
    private readonly TestServer _server;

    private TestDevice(TestServer server, ECDsa key, EnrollResponse enrolled)
    {
        _server = server;
        Key = key;
        Enrolled = enrolled;
    }

    public ECDsa Key { get; }

    public EnrollResponse Enrolled { get; }

    public string Id => Enrolled.DeviceId;

    public static string Csr(ECDsa key) => new CertificateRequest("CN=geoedge-device", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

    public static EnrollRequest Request(string token, string hwId, string csrPem) =>
        new(token, hwId, csrPem, new DeviceIdentity("raspberry-pi-5", "1.0.0", new Dictionary<string, string> { ["site"] = "lab" }, ["canary"]));

    public static async Task<string> CreateEnrollmentTokenAsync(TestServer server, int maxUses = 10, int minutes = 60, string fleet = "fleet-a")
    {
        HttpResponseMessage response = await server.Admin.PostAsJsonAsync("/v1/enrollment-tokens",
            new EnrollmentTokenRequest(fleet, minutes, maxUses), ServerJsonContext.Default.EnrollmentTokenRequest);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ServerJsonContext.Default.EnrollmentTokenResponse))!.Token;
    }

    public static async Task<TestDevice> EnrollAsync(TestServer server, string token, string hwId, ECDsa? key = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        HttpResponseMessage response = await server.Api.PostAsJsonAsync("/v1/enroll", Request(token, hwId, Csr(key)), FleetJsonContext.Default.EnrollRequest);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return new TestDevice(server, key, (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.EnrollResponse))!);
    }

    /// <summary>A request signed with <paramref name="signer"/> (default: this device's key) as <paramref name="keyId"/> (default: this device).</summary>
    public HttpRequestMessage Signed(HttpMethod method, string pathAndQuery, byte[]? body = null, long? timestamp = null, string? nonce = null,
        ECDsa? signer = null, string? keyId = null, byte[]? sentBody = null)
    {
        body ??= [];
        long ts = timestamp ?? _server.Time.GetUtcNow().ToUnixTimeSeconds();
        nonce ??= RequestSignature.NewNonce();
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Add(RequestSignature.KeyIdHeader, keyId ?? Id);
        request.Headers.Add(RequestSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSignature.NonceHeader, nonce);
        request.Headers.Add(RequestSignature.SignatureHeader, RequestSignature.Sign(signer ?? Key, method.Method, pathAndQuery, ts, nonce, body));
        if ((sentBody ?? body).Length > 0 || method == HttpMethod.Put || method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent(sentBody ?? body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    public Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string pathAndQuery, byte[]? body = null) =>
        _server.Api.SendAsync(Signed(method, pathAndQuery, body));

    /// <summary>A signed GET with a Range header (bytes from-to).</summary>
    public Task<HttpResponseMessage> SendSignedWithRangeAsync(TestServer server, string path, long from, long to)
    {
        HttpRequestMessage request = Signed(HttpMethod.Get, path);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(from, to);
        return server.Api.SendAsync(request);
    }

    /// <summary>A client of the device port presenting <paramref name="certificate"/> (default: this device's) and pinning the fleet CA.</summary>
    public HttpClient MutualTlsClient(X509Certificate2? certificate = null)
    {
        certificate ??= ClientCertificate();
        return MutualTlsClient(_server, certificate, Enrolled.CaPem);
    }

    public static HttpClient MutualTlsClient(TestServer server, X509Certificate2? certificate, string caPem)
    {
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(caPem);
        byte[] caRaw = ca.RawData;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
                RemoteCertificateValidationCallback = (_, serverCert, _, _) =>
                {
                    if (serverCert is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    using X509Certificate2 pinned = X509CertificateLoader.LoadCertificate(caRaw);
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(pinned);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(serverCert));
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = server.App.DeviceAddress };
    }

    public X509Certificate2 ClientCertificate()
    {
        using X509Certificate2 issued = X509Certificate2.CreateFromPem(Enrolled.CertPem);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(Key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => Key.Dispose();
}
