using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;

namespace GeoEdge.FleetServer.Tests.Registry;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BundleDownloadTests(PostgresCluster cluster)
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Ranges_resume_with_exact_bytes_and_a_stale_if_range_gets_the_whole_file(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        byte[] geob = TestBundles.Shipped();
        string sha = Convert.ToHexStringLower(SHA256.HashData(geob));
        (await ModelUploadTests.UploadAsync(server, geob)).Dispose();
        using TestDevice device = await TestDevice.EnrollAsync(server, await TestDevice.CreateEnrollmentTokenAsync(server), "hw-1");
        using HttpClient tls = device.MutualTlsClient();
        string url = "/v1/bundles/" + sha;

        using HttpResponseMessage full = await tls.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(geob, await full.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha}\"", full.Headers.ETag!.Tag);
        Assert.False(full.Headers.ETag.IsWeak);
        Assert.Equal(["bytes"], full.Headers.AcceptRanges);

        using var resume = new HttpRequestMessage(HttpMethod.Get, url);
        resume.Headers.Range = new RangeHeaderValue(1000, null);
        resume.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue($"\"{sha}\""));
        using HttpResponseMessage partial = await tls.SendAsync(resume);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(geob[1000..], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 1000-{geob.Length - 1}/{geob.Length}", partial.Content.Headers.ContentRange!.ToString());

        using HttpResponseMessage middle = await device.SendSignedWithRangeAsync(server, url, 10, 19);
        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal(geob[10..20], await middle.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.Range = new RangeHeaderValue(1000, null);
        stale.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"" + new string('0', 64) + "\""));
        using HttpResponseMessage restarted = await tls.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        Assert.Equal(geob, await restarted.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, url);
        beyond.Headers.Range = new RangeHeaderValue(geob.Length, null);
        using HttpResponseMessage unsatisfiable = await tls.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal($"bytes */{geob.Length}", unsatisfiable.Content.Headers.ContentRange!.ToString());

        using HttpResponseMessage missing = await tls.GetAsync("/v1/bundles/" + new string('e', 64));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using HttpResponseMessage anonymous = await server.Api.GetAsync(url);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
