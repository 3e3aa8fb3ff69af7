using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;

namespace GeoEdge.FleetServer.Tests.Registry;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ModelUploadTests(PostgresCluster cluster)
{
    private const string DevKeyId = "7ea841fa393b6b6d1ed33a5b4fa4d9be";

    internal static async Task<HttpResponseMessage> UploadAsync(TestServer server, byte[] geob)
    {
        using var content = new ByteArrayContent(geob);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return await server.Admin.PostAsync("/v1/models", content);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_signed_bundle_is_registered_stored_by_its_hash_and_listed(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        byte[] geob = TestBundles.Shipped();
        string sha = Convert.ToHexStringLower(SHA256.HashData(geob));
        string manifestSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(TestBundles.Fixture("shapes-dgcnn", "manifest.json"))));

        using HttpResponseMessage created = await UploadAsync(server, geob);
        using HttpResponseMessage again = await UploadAsync(server, geob);
        using HttpResponseMessage second = await UploadAsync(server, TestBundles.WithVersion("1.1.0"));
        Assert.True(HttpStatusCode.Created == created.StatusCode, await created.Content.ReadAsStringAsync());
        ModelVersionInfo info = (await created.Content.ReadFromJsonAsync(FleetJsonContext.Default.ModelVersionInfo))!;
        IReadOnlyList<ModelVersionInfo> versions = (await server.Admin.GetFromJsonAsync($"/v1/models/shapes-dgcnn/versions", FleetJsonContext.Default.IReadOnlyListModelVersionInfo))!;
        IReadOnlyList<ModelVersionInfo> all = (await server.Admin.GetFromJsonAsync("/v1/models", FleetJsonContext.Default.IReadOnlyListModelVersionInfo))!;
        using HttpResponseMessage unknown = await server.Admin.GetAsync("/v1/models/nope/versions");

        Assert.True(HttpStatusCode.Created == created.StatusCode, await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(("shapes-dgcnn", "1.0.0", "point-cloud-classification", sha, manifestSha, (long)geob.Length, DevKeyId),
            (info.Model, info.Version, info.Task, info.BundleSha256, info.ManifestSha256, info.Size, info.KeyId));
        Assert.Equal(["1.0.0", "1.1.0"], versions.Select(v => v.Version));
        Assert.Equal(2, all.Count);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        string blob = Path.Combine(server.DataDirectory, "blobs", "sha256", sha[..2], sha);
        Assert.Equal(geob, await File.ReadAllBytesAsync(blob));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(server.DataDirectory, "blobs", "staging")));
        GeoEdge.FleetServer.Storage.ModelVersionRecord record = (await server.App.Store.Models.GetAsync("shapes-dgcnn", "1.0.0", CancellationToken.None))!;
        // The signature the registry hands devices is the bundle's own manifest.sig, byte for byte (re-signing the shipped bundle changes it).
        using var sig = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(TestBundles.Fixture("shapes-dgcnn", "manifest.sig")));
        string signature = sig.RootElement.GetProperty("signature").GetString()!;
        Assert.Equal(88, signature.Length); // a 64-byte P-256 (r, s) signature in base64
        Assert.Equal(new BundleReference(sha, geob.Length, "/v1/bundles/" + sha, signature, DevKeyId), record.ToBundleReference());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Bad_bundles_are_refused_with_the_failed_check(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        async Task<(HttpStatusCode, FleetProblem)> RefusedAsync(byte[] geob)
        {
            using HttpResponseMessage response = await UploadAsync(server, geob);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.FleetProblem))!);
        }

        (HttpStatusCode tamperedStatus, FleetProblem tampered) = await RefusedAsync(TestBundles.Tampered());
        (HttpStatusCode untrustedStatus, FleetProblem untrusted) = await RefusedAsync(TestBundles.WithVersion("1.2.0", stranger));
        (HttpStatusCode junkStatus, FleetProblem junk) = await RefusedAsync([1, 2, 3, 4]);
        await UploadAsync(server, TestBundles.Shipped());
        // Same model and version, other bytes (re-signed, so it verifies): a version's bytes never change.
        (HttpStatusCode conflictStatus, FleetProblem conflict) = await RefusedAsync(TestBundles.WithVersion("1.0.0"));

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "urn:geoedge:fleet:bundle-hash-mismatch"), (tamperedStatus, tampered.Type));
        Assert.StartsWith("bundle check HashMismatch failed", tampered.Detail, StringComparison.Ordinal);
        Assert.Contains("model.onnx", tampered.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "urn:geoedge:fleet:bundle-untrusted-key"), (untrustedStatus, untrusted.Type));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "urn:geoedge:fleet:bundle-archive-malformed"), (junkStatus, junk.Type));
        Assert.Equal((HttpStatusCode.Conflict, "urn:geoedge:fleet:version-exists"), (conflictStatus, conflict.Type));
        Assert.Single(await server.App.Store.Models.ListAsync(CancellationToken.None));
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "blobs", "sha256"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(server.DataDirectory, "blobs", "staging")));
    }
}
