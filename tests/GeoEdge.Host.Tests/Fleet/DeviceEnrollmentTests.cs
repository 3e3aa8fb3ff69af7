using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeviceEnrollmentTests
{
    [Fact]
    public async Task First_start_enrolls_with_a_csr_for_a_private_key_and_later_starts_reuse_the_identity()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        f.Server.DeviceId = "dev-42";
        using var client = new FleetClient(f.Server.Address, new SocketsHttpHandler(), TimeProvider.System, Backoff.Default, NullLogger.Instance);
        var identity = new DeviceIdentity("dev-x64", "1.0.0", new Dictionary<string, string> { ["site"] = "lab" }, ["canary"]);

        using DeviceCredentials first = await DeviceEnrollment.LoadOrEnrollAsync(f.Files, client, "hw-1", "fleet-token-1", identity, NullLogger.Instance, CancellationToken.None);
        using DeviceCredentials second = await DeviceEnrollment.LoadOrEnrollAsync(f.Files, client, "hw-1", "fleet-token-1", identity, NullLogger.Instance, CancellationToken.None);

        EnrollRequest request = Assert.Single(f.Server.Enrollments);
        Assert.Equal(("hw-1", "lab", "canary"), (request.HwId, request.Identity.Attributes!["site"], request.Identity.Tags![0]));
        Assert.Equal(("dev-42", "dev-42"), (first.DeviceId, second.DeviceId));
        Assert.Equal(first.Key.ExportSubjectPublicKeyInfo(), second.Key.ExportSubjectPublicKeyInfo());
        Assert.Equal("CN=dev-42", second.Certificate!.Subject);
        Assert.True(second.Certificate.HasPrivateKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f.Files.Key));
        Assert.Empty(Directory.GetFiles(f.Files.Root, ".*"));

        // The stored key signs what the server verifies.
        f.Server.DeviceKey = second.Key;
        f.Server.DeviceId = second.DeviceId;
        client.Credentials = second;
        Assert.NotNull(await client.GetDesiredAsync(null, CancellationToken.None));
        Assert.Empty(f.Server.BadSignatures);
    }

    [Fact]
    public async Task A_refused_token_is_a_typed_error_and_leaves_no_identity()
    {
        await using FleetFixture f = await FleetFixture.StartAsync();
        using var client = new FleetClient(f.Server.Address, new SocketsHttpHandler(), TimeProvider.System, Backoff.Default, NullLogger.Instance);

        FleetRequestException e = await Assert.ThrowsAsync<FleetRequestException>(() =>
            DeviceEnrollment.LoadOrEnrollAsync(f.Files, client, "hw-1", "wrong", new DeviceIdentity("dev-x64", "1.0.0"), NullLogger.Instance, CancellationToken.None));

        Assert.Equal((403, "unknown enrollment token"), (e.Status, e.Problem?.Detail));
        Assert.False(File.Exists(f.Files.Identity));
        Assert.Null(DeviceEnrollment.TryLoad(f.Files));
    }
}
