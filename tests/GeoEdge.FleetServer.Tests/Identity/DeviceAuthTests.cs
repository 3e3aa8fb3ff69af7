using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;

namespace GeoEdge.FleetServer.Tests.Identity;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeviceAuthTests(PostgresCluster cluster)
{
    private static readonly byte[] Report = Encoding.UTF8.GetBytes(
        "{\"lastDesiredVersion\":0,\"lastDesiredStatus\":{\"code\":200,\"description\":\"idle\"},\"models\":[],\"agentVersion\":\"1.0.0\",\"board\":\"raspberry-pi-5\"}");

    private static async Task<(HttpStatusCode Status, string? Detail)> SendAsync(TestServer server, HttpRequestMessage request)
    {
        using HttpResponseMessage response = await server.Api.SendAsync(request);
        string? detail = response.IsSuccessStatusCode ? null : (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.FleetProblem))!.Detail;
        return (response.StatusCode, detail);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Signed_requests_are_accepted_and_every_forgery_refused(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        string token = await TestDevice.CreateEnrollmentTokenAsync(server);
        using TestDevice device = await TestDevice.EnrollAsync(server, token, "hw-1");
        using TestDevice other = await TestDevice.EnrollAsync(server, token, "hw-2");
        string reported = $"/v1/devices/{device.Id}/reported";
        long now = server.Time.GetUtcNow().ToUnixTimeSeconds();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal((HttpStatusCode.NoContent, (string?)null), await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report)));

        (HttpStatusCode status, string? detail) = await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, signer: stranger));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("does not verify with device", detail, StringComparison.Ordinal);

        (status, detail) = await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, signer: other.Key));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        (status, detail) = await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, sentBody: Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Report).Replace("idle", "evil", StringComparison.Ordinal))));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("does not verify", detail, StringComparison.Ordinal);

        (status, detail) = await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, timestamp: now - 301));
        Assert.Equal((HttpStatusCode.Unauthorized, $"X-GeoEdge-Timestamp {now - 301} is 301 s from the server's clock (allowed ±300 s)"), (status, detail));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, timestamp: now - 299))).Status);
        (status, _) = await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, timestamp: now + 301));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        string nonce = RequestSignature.NewNonce();
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, nonce: nonce))).Status);
        (status, detail) = await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, nonce: nonce));
        Assert.Equal((HttpStatusCode.Unauthorized, "X-GeoEdge-Nonce was already used (replayed request)"), (status, detail));

        (status, detail) = await SendAsync(server, device.Signed(HttpMethod.Put, reported, Report, keyId: "dev-unknown"));
        Assert.Equal((HttpStatusCode.Unauthorized, "X-GeoEdge-Key-Id 'dev-unknown' is not an enrolled device"), (status, detail));

        using var unsigned = new HttpRequestMessage(HttpMethod.Get, $"/v1/devices/{device.Id}/desired");
        (status, detail) = await SendAsync(server, unsigned);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("no client certificate and no request signature", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_device_may_not_touch_another_devices_routes(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        string token = await TestDevice.CreateEnrollmentTokenAsync(server);
        using TestDevice device = await TestDevice.EnrollAsync(server, token, "hw-1");
        using TestDevice other = await TestDevice.EnrollAsync(server, token, "hw-2");

        (HttpStatusCode status, string? detail) = await SendAsync(server, device.Signed(HttpMethod.Get, $"/v1/devices/{other.Id}/desired"));
        (HttpStatusCode putStatus, _) = await SendAsync(server, device.Signed(HttpMethod.Put, $"/v1/devices/{other.Id}/reported", Report));
        using HttpClient mtls = device.MutualTlsClient();
        using HttpResponseMessage overTls = await mtls.GetAsync($"/v1/devices/{other.Id}/desired");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal($"device '{device.Id}' may only call its own routes, not /v1/devices/{other.Id}/...", detail);
        Assert.Equal(HttpStatusCode.Forbidden, putStatus);
        Assert.Equal(HttpStatusCode.Forbidden, overTls.StatusCode);
        Assert.Null((await server.App.Store.Devices.GetAsync(other.Id, CancellationToken.None))!.Reported);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task The_device_port_takes_the_issued_certificate_and_nothing_else(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        string token = await TestDevice.CreateEnrollmentTokenAsync(server);
        using TestDevice device = await TestDevice.EnrollAsync(server, token, "hw-1");

        using (HttpClient good = device.MutualTlsClient())
        {
            using HttpResponseMessage desired = await good.GetAsync($"/v1/devices/{device.Id}/desired");
            Assert.Equal(HttpStatusCode.OK, desired.StatusCode);
        }

        // No client certificate: the TLS handshake itself fails (RequireCertificate).
        using (HttpClient none = TestDevice.MutualTlsClient(server, null, device.Enrolled.CaPem))
        {
            await AssertRejectedAsync(none.GetAsync($"/v1/devices/{device.Id}/desired"));
        }

        // A certificate with the same CN from another CA.
        using (X509Certificate2 foreign = ForeignCertificate(device.Id, device.Key))
        using (HttpClient impostor = TestDevice.MutualTlsClient(server, foreign, device.Enrolled.CaPem))
        {
            await AssertRejectedAsync(impostor.GetAsync($"/v1/devices/{device.Id}/desired"));
        }

        // Re-enrolling retires the old certificate even though our CA issued it.
        using X509Certificate2 old = device.ClientCertificate();
        using TestDevice reenrolled = await TestDevice.EnrollAsync(server, token, "hw-1");
        using HttpClient stale = TestDevice.MutualTlsClient(server, old, device.Enrolled.CaPem);
        using HttpResponseMessage refused = await stale.GetAsync($"/v1/devices/{device.Id}/desired");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static async Task AssertRejectedAsync(Task<HttpResponseMessage> call)
    {
        // Depending on TLS 1.3 timing the client sees the refusal as a failed handshake or a reset on first read.
        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => call);
        Assert.True(error.InnerException is AuthenticationException or IOException or null, error.ToString());
    }

    private static X509Certificate2 ForeignCertificate(string deviceId, ECDsa deviceKey)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=GeoEdge Fleet CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        var request = new CertificateRequest("CN=" + deviceId, deviceKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using X509Certificate2 issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(deviceKey);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
