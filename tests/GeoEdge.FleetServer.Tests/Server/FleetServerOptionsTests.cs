using GeoEdge.FleetServer.Server;
using Microsoft.Extensions.Options;

namespace GeoEdge.FleetServer.Tests.Server;

[Trait("Category", "Unit")]
public sealed class FleetServerOptionsTests
{
    [Fact]
    public async Task Invalid_options_are_refused_before_anything_starts_naming_the_option()
    {
        string data = Path.Combine(Path.GetTempPath(), "geoedge-fleet-never-" + Guid.NewGuid().ToString("N"));

        OptionsValidationException range = await Assert.ThrowsAsync<OptionsValidationException>(
            () => FleetServerApp.CreateAsync(new FleetServerOptions { DataDirectory = data, PollAfterSeconds = 0 }));
        ArgumentException url = await Assert.ThrowsAsync<ArgumentException>(
            () => FleetServerApp.CreateAsync(new FleetServerOptions { DataDirectory = data, DeviceUrl = "http://127.0.0.1:8443" }));

        Assert.Contains("PollAfterSeconds", range.Message, StringComparison.Ordinal);
        Assert.StartsWith("deviceUrl: 'http://127.0.0.1:8443' must be https://<ip>:<port>", url.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data, "fleet.db")));
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("http://localhost:0", "127.0.0.1:0")]
    [InlineData("http://*:80", "0.0.0.0:80")]
    [InlineData("http://[::1]:9000", "[::1]:9000")]
    public void Listen_urls_parse_to_endpoints(string url, string endpoint)
    {
        Assert.Equal(endpoint, ListenAddress.Parse(url, "http", "urls").ToString());
    }
}
