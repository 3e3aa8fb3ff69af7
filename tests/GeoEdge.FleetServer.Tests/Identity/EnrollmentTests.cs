using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;

namespace GeoEdge.FleetServer.Tests.Identity;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EnrollmentTests(PostgresCluster cluster)
{
    private static async Task<(HttpStatusCode Status, FleetProblem? Problem)> EnrollRawAsync(TestServer server, EnrollRequest request)
    {
        HttpResponseMessage response = await server.Api.PostAsJsonAsync("/v1/enroll", request, FleetJsonContext.Default.EnrollRequest);
        FleetProblem? problem = response.IsSuccessStatusCode ? null : await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.FleetProblem);
        return (response.StatusCode, problem);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Enrollment_issues_a_certificate_for_the_device_key_signed_by_the_fleet_ca(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster, o => o.PollAfterSeconds = 17);
        string token = await TestDevice.CreateEnrollmentTokenAsync(server);

        using TestDevice device = await TestDevice.EnrollAsync(server, token, "hw-0001");
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(device.Enrolled.CertPem);
        using ECDsa? certKey = certificate.GetECDsaPublicKey();

        Assert.StartsWith("dev-", device.Id, StringComparison.Ordinal);
        Assert.Equal(17, device.Enrolled.PollAfterSeconds);
        Assert.Equal("CN=" + device.Id, certificate.Subject);
        Assert.Equal(server.App.CertificateAuthority.CertificatePem, device.Enrolled.CaPem);
        Assert.True(server.App.CertificateAuthority.IsIssuedByThisCa(certificate));
        Assert.Equal(device.Key.ExportSubjectPublicKeyInfo(), certKey!.ExportSubjectPublicKeyInfo());
        GeoEdge.FleetServer.Storage.DeviceRecord stored = (await server.App.Store.Devices.GetAsync(device.Id, CancellationToken.None))!;
        Assert.Equal(("hw-0001", "fleet-a", "lab"), (stored.HwId, stored.Fleet, stored.Attributes["site"]));
        Assert.Equal(["canary"], stored.Tags);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task The_same_hwId_enrolling_again_gets_the_same_id_and_a_new_certificate(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        string token = await TestDevice.CreateEnrollmentTokenAsync(server);

        using TestDevice first = await TestDevice.EnrollAsync(server, token, "hw-same");
        using TestDevice again = await TestDevice.EnrollAsync(server, token, "hw-same");
        using TestDevice other = await TestDevice.EnrollAsync(server, token, "hw-other");

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Enrolled.CertPem, again.Enrolled.CertPem);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(2, (await server.App.Store.Devices.ListAsync(CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task The_same_hwId_enrolling_concurrently_ends_as_one_device(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        string token = await TestDevice.CreateEnrollmentTokenAsync(server, maxUses: 20);

        TestDevice[] devices = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => TestDevice.EnrollAsync(server, token, "hw-race"))));

        Assert.Single(devices.Select(d => d.Id).Distinct());
        Assert.Single(await server.App.Store.Devices.ListAsync(CancellationToken.None));
        foreach (TestDevice device in devices)
        {
            device.Dispose();
        }
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_token_is_refused_after_its_uses_and_after_it_expires(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        string twoUses = await TestDevice.CreateEnrollmentTokenAsync(server, maxUses: 2, minutes: 60);
        string shortLived = await TestDevice.CreateEnrollmentTokenAsync(server, maxUses: 5, minutes: 10);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = TestDevice.Csr(key);

        Assert.Equal(HttpStatusCode.Created, (await EnrollRawAsync(server, TestDevice.Request(twoUses, "hw-1", csr))).Status);
        Assert.Equal(HttpStatusCode.Created, (await EnrollRawAsync(server, TestDevice.Request(twoUses, "hw-2", csr))).Status);
        (HttpStatusCode status, FleetProblem? problem) = await EnrollRawAsync(server, TestDevice.Request(twoUses, "hw-3", csr));
        Assert.Equal((HttpStatusCode.Forbidden, "enrollment token has no uses left"), (status, problem!.Detail));

        server.Time.Advance(TimeSpan.FromMinutes(10));
        (status, problem) = await EnrollRawAsync(server, TestDevice.Request(shortLived, "hw-4", csr));
        Assert.Equal((HttpStatusCode.Forbidden, "enrollment token expired"), (status, problem!.Detail));
        (status, problem) = await EnrollRawAsync(server, TestDevice.Request("get_made-up", "hw-5", csr));
        Assert.Equal((HttpStatusCode.Forbidden, "unknown enrollment token"), (status, problem!.Detail));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_bad_csr_is_refused_naming_the_field_and_spends_no_token_use(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        string oneUse = await TestDevice.CreateEnrollmentTokenAsync(server, maxUses: 1);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        using var good = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string rsaCsr = new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        // A CSR whose self-signature does not match its key: the body of one request with the signature of another.
        string forged = ForgeCsr(good);

        (HttpStatusCode s1, FleetProblem? p1) = await EnrollRawAsync(server, TestDevice.Request(oneUse, "hw-1", TestDevice.Csr(p384)));
        (HttpStatusCode s2, FleetProblem? p2) = await EnrollRawAsync(server, TestDevice.Request(oneUse, "hw-1", rsaCsr));
        (HttpStatusCode s3, FleetProblem? p3) = await EnrollRawAsync(server, TestDevice.Request(oneUse, "hw-1", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"));
        (HttpStatusCode s4, FleetProblem? p4) = await EnrollRawAsync(server, TestDevice.Request(oneUse, "hw-1", forged));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { s1, s2, s3, s4 });
        Assert.StartsWith("csrPem: curve", p1!.Detail, StringComparison.Ordinal);
        Assert.Contains("P-256", p1.Detail, StringComparison.Ordinal);
        Assert.StartsWith("csrPem: key algorithm 1.2.840.113549.1.1.1 is not ECDSA", p2!.Detail, StringComparison.Ordinal);
        Assert.StartsWith("csrPem: is not a PKCS#10 request", p3!.Detail, StringComparison.Ordinal);
        Assert.StartsWith("csrPem: is not a PKCS#10 request with a valid self-signature", p4!.Detail, StringComparison.Ordinal);
        // The one use is still there.
        Assert.Equal(HttpStatusCode.Created, (await EnrollRawAsync(server, TestDevice.Request(oneUse, "hw-1", TestDevice.Csr(good)))).Status);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    public async Task Malformed_json_and_missing_fields_are_named(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        using var content = new StringContent("{\"enrollmentToken\": 5}", System.Text.Encoding.UTF8, "application/json");

        HttpResponseMessage response = await server.Api.PostAsync("/v1/enroll", content);
        FleetProblem problem = (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.FleetProblem))!;
        (HttpStatusCode status, FleetProblem? missing) = await EnrollRawAsync(server, new EnrollRequest("t", "", "csr", new DeviceIdentity("b", "1")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("$.enrollmentToken", problem.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "hwId: is missing or empty"), (status, missing!.Detail));
    }

    private static string ForgeCsr(ECDsa key)
    {
        byte[] der = new CertificateRequest("CN=geoedge-device", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        der[^5] ^= 0x55; // inside the signature value at the end of the structure
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }
}
