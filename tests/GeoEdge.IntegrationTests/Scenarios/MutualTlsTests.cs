using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Storage;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.Host.Fleet;
using GeoEdge.IntegrationTests.Support;
using AgentEnrollment = GeoEdge.Host.Fleet.DeviceEnrollment;

namespace GeoEdge.IntegrationTests.Scenarios;

/// <summary>Issue 7 part 2, the device side of mutual TLS: a device enrolls on the API port, then does all its work on
/// the device port presenting the certificate enrollment issued (CN = deviceId), and trusts that port only when its
/// certificate chains to the fleet CA from enrollment and names the host.</summary>
public sealed class MutualTlsTests
{
    private static readonly HttpRequestError[] EndedInHandshake = [HttpRequestError.ResponseEnded, HttpRequestError.SecureConnectionError];

    private static readonly ActionStatus[] StatusesToActive =
        [ActionStatus.Downloading, ActionStatus.Downloaded, ActionStatus.Verifying, ActionStatus.Installed, ActionStatus.Activating, ActionStatus.Active];

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_geoedge_enrolled_on_the_API_port_converges_on_a_rollout_over_the_mutual_TLS_device_port()
    {
        await using FleetScenario fleet = await FleetScenario.StartAsync(devicePort: true);
        await fleet.Server.UploadAsync(Bundles.Shipped(fleet.Scratch));
        ModelVersionInfo v110 = await fleet.Server.UploadAsync(Bundles.Pack(fleet.Scratch, "1.1.0").Path);

        await fleet.StartDeviceAsync(mutualTls: true);
        string deviceId = await fleet.WaitForEnrollmentAsync();
        await fleet.WaitForReportedActiveAsync(deviceId, "1.0.0");
        RolloutView created = await fleet.Server.CreateRolloutAsync(FleetScenario.OneStage(deviceId, "1.1.0"));
        await fleet.WaitForRolloutAsync(created.Id, "succeeded");

        // The server attributed the statuses, the bundle download and the reports to this device.
        ActionRecord action = Assert.Single(await fleet.Server.ActionsAsync(created.Id));
        Assert.Equal((deviceId, ActionStatus.Active), (action.DeviceId, action.Status));
        Assert.Equal(StatusesToActive, (await fleet.Server.ActionHistoryAsync(action.ActionId)).Select(h => h.Status));
        DeviceRecord device = await fleet.WaitForReportedActiveAsync(deviceId, "1.1.0", d => d.IsConverged);
        Assert.Equal(new ModelVersionReference("1.1.0", v110.ManifestSha256), device.Reported!.Models.Single(m => m.Model == FleetScenario.Model).Active);

        // The API port (behind the proxy) saw the enrollment and nothing else: every device call went to the device
        // port, whose TLS handshake needs a client certificate from the fleet CA.
        Assert.Equal([("POST", "/v1/enroll", 201)], fleet.Proxy.Exchanges.Select(e => (e.Method, e.Path, e.Status)));
        Assert.True(fleet.Server.Requests("/v1/bundles/{sha256}", "GET", 200) >= 1);
        Assert.True(fleet.Server.Requests("/v1/devices/{id}/actions/{actionId}/status", "POST", 204) >= 6);

        // What the agent keeps: the certificate issued for its key, CN = deviceId, from the fleet CA it pins.
        using DeviceCredentials stored = AgentEnrollment.TryLoad(new AgentFiles(fleet.Config!.StateDirectory))!;
        Assert.Equal(deviceId, stored.Certificate!.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.True(fleet.Server.App.CertificateAuthority.IsIssuedByThisCa(stored.Certificate));
        Assert.Equal(fleet.Server.App.CertificateAuthority.Certificate.RawData, stored.Ca!.RawData);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task The_device_port_takes_a_devices_own_certificate_and_refuses_none_a_foreign_one_or_another_devices()
    {
        await using FleetServerHost server = await FleetServerHost.StartAsync(Provider.Sqlite, null, [Bundles.DevPublicKey], devicePort: true);
        using EnrolledAgent a = await EnrolledAgent.EnrollAsync(server, "hw-a");
        using EnrolledAgent b = await EnrolledAgent.EnrollAsync(server, "hw-b");
        Uri port = server.App.DeviceAddress!;

        // Its own certificate: desired, reported, attributed to the device (the signature headers are sent too, but on
        // this port the certificate decides; see below).
        using (FleetClient own = EnrolledAgent.Client(port, a.Credentials, presentCertificate: true))
        {
            (DesiredState desired, string? etag) = (await own.GetDesiredAsync(null, CancellationToken.None))!.Value;
            Assert.Equal((0L, (Assignment?)null, "\"0\""), (desired.DesiredVersion, desired.Assignment, etag));
            await own.PutReportedAsync(new ReportedState(0, new DesiredStatus(200, "converged: nothing assigned"), [], "9.9.9", "dev-x64"), CancellationToken.None);
        }

        DeviceRecord stored = (await server.App.Store.Devices.GetAsync(a.DeviceId, CancellationToken.None))!;
        Assert.Equal((0L, 200, "dev-x64"), (stored.Reported!.LastDesiredVersion, stored.Reported.LastDesiredStatus.Code, stored.Reported.Board));
        Assert.Null((await server.App.Store.Devices.GetAsync(b.DeviceId, CancellationToken.None))!.Reported);

        // No certificate: Kestrel (RequireCertificate) ends the connection in the TLS handshake; no HTTP request reaches
        // the server. Under TLS 1.3 the client has finished its side of the handshake and sent the request by then, so
        // what it sees is a response that ended before it began (under TLS 1.2 the handshake itself would fail).
        long answered = server.Requests("/v1/devices/{id}/desired", "GET", 200);
        FleetRequestException none = await RefusedAsync(port, a.Credentials, presentCertificate: false);
        Assert.Null(none.Status);
        Assert.True(none.Transient);
        Assert.Contains(Assert.IsType<HttpRequestException>(none.InnerException).HttpRequestError, EndedInHandshake);

        // A certificate the fleet CA did not issue, for the same CN: refused at the handshake the same way.
        using (DeviceCredentials forged = Forged(a))
        {
            FleetRequestException foreign = await RefusedAsync(port, forged, presentCertificate: true);
            Assert.Null(foreign.Status);
            Assert.Contains(Assert.IsType<HttpRequestException>(foreign.InnerException).HttpRequestError, EndedInHandshake);
        }

        Assert.Equal(answered, server.Requests("/v1/devices/{id}/desired", "GET", 200));
        Assert.Equal(0, server.Requests("/v1/devices/{id}/desired", "GET", 401) + server.Requests("/v1/devices/{id}/desired", "GET", 403));

        // Device b's certificate on device a's route, with a's valid request signature: the certificate names b, so 403.
        using DeviceCredentials aAgain = a.Reload();
        using DeviceCredentials bAgain = b.Reload();
        using var mixed = new DeviceCredentials(a.DeviceId, aAgain.Key, bAgain.Certificate, aAgain.Ca);
        FleetRequestException other = await RefusedAsync(port, mixed, presentCertificate: true);
        Assert.Equal(403, other.Status);
        Assert.Equal($"device '{b.DeviceId}' may only call its own routes, not /v1/devices/{a.DeviceId}/...", other.Problem!.Detail);
    }

    [Fact]
    [Trait("Category", "Fault")]
    public async Task The_agent_trusts_a_server_certificate_only_from_its_fleet_CA_and_for_the_host_it_called()
    {
        await using FleetServerHost server = await FleetServerHost.StartAsync(Provider.Sqlite, null, [Bundles.DevPublicKey], devicePort: true);
        using EnrolledAgent agent = await EnrolledAgent.EnrollAsync(server, "hw-pin");
        string otherCaDirectory = Directory.CreateTempSubdirectory("geoedge-e2e-otherca-").FullName;
        try
        {
            using var otherCa = FleetCertificateAuthority.LoadOrCreate(otherCaDirectory, TimeProvider.System);

            // The control: the fleet CA's certificate for 127.0.0.1 is accepted by the same client code.
            using (X509Certificate2 good = server.App.CertificateAuthority.IssueServerCertificate(["127.0.0.1"]))
            {
                await using TlsStub stub = await TlsStub.StartAsync(good);
                using FleetClient client = EnrolledAgent.Client(stub.Address, agent.Credentials, presentCertificate: true);
                Assert.Equal(1L, (await client.GetDesiredAsync(null, CancellationToken.None))!.Value.State.DesiredVersion);
                Assert.Equal(1, stub.Requests);
            }

            // Another fleet's CA (same subject name, other key), for the right host.
            using (X509Certificate2 foreign = otherCa.IssueServerCertificate(["127.0.0.1"]))
            {
                ServerCertificateRejectedException refused = await RejectedAsync(foreign, agent);
                Assert.Equal(("CN=GeoEdge Fleet Server", "CN=GeoEdge Fleet CA"), (refused.Subject, refused.Issuer));
                // Both CAs are "CN=GeoEdge Fleet CA"; the key identifiers differ, so the chain stops short of a trusted root.
                Assert.Equal("the certificate does not chain to the fleet CA 'CN=GeoEdge Fleet CA' from enrollment (PartialChain)", refused.Reason);
            }

            // The fleet CA, but for another host.
            using (X509Certificate2 elsewhere = server.App.CertificateAuthority.IssueServerCertificate(["fleet.elsewhere.example"]))
            {
                ServerCertificateRejectedException refused = await RejectedAsync(elsewhere, agent);
                Assert.Equal("the certificate does not name the host the agent connected to", refused.Reason);
            }
        }
        finally
        {
            Directory.Delete(otherCaDirectory, recursive: true);
        }
    }

    private static async Task<ServerCertificateRejectedException> RejectedAsync(X509Certificate2 serverCertificate, EnrolledAgent agent)
    {
        await using TlsStub stub = await TlsStub.StartAsync(serverCertificate);
        FleetRequestException e = await RefusedAsync(stub.Address, agent.Credentials, presentCertificate: true);
        Assert.Null(e.Status);
        Assert.True(e.Transient); // the agent's loops back off and try again; the certificate may be fixed
        ServerCertificateRejectedException refused = Assert.IsType<ServerCertificateRejectedException>(e.InnerException);
        Assert.IsType<HttpRequestException>(refused.InnerException);
        Assert.Equal(0, stub.Requests);
        return refused;
    }

    private static async Task<FleetRequestException> RefusedAsync(Uri url, DeviceCredentials credentials, bool presentCertificate)
    {
        using FleetClient client = EnrolledAgent.Client(url, credentials, presentCertificate);
        return await Assert.ThrowsAsync<FleetRequestException>(() => client.GetDesiredAsync(null, CancellationToken.None));
    }

    /// <summary>A self-signed certificate with the device's CN over the device's own key: right name, wrong issuer.</summary>
    private static DeviceCredentials Forged(EnrolledAgent agent)
    {
        DeviceCredentials again = agent.Reload();
        again.Certificate?.Dispose(); // replaced; the key and CA go to the forged credentials
        var request = new CertificateRequest($"CN={agent.DeviceId}", again.Key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        X509Certificate2 selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return new DeviceCredentials(agent.DeviceId, again.Key, selfSigned, again.Ca);
    }
}
