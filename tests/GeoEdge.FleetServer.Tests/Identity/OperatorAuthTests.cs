using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Tests.Storage;
using GeoEdge.FleetServer.Tests.Support;

namespace GeoEdge.FleetServer.Tests.Identity;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OperatorAuthTests(PostgresCluster cluster)
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Roles_rank_viewer_below_operator_below_admin(Provider provider)
    {
        await using TestServer server = await TestServer.StartAsync(provider, cluster);
        async Task<string> TokenAsync(string role)
        {
            HttpResponseMessage created = await server.Admin.PostAsJsonAsync("/v1/operator-tokens", new OperatorTokenRequest("t-" + role, role), ServerJsonContext.Default.OperatorTokenRequest);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return (await created.Content.ReadFromJsonAsync(ServerJsonContext.Default.OperatorTokenResponse))!.Token;
        }

        string viewer = await TokenAsync("viewer");
        string op = await TokenAsync("operator");
        async Task<HttpStatusCode> CallAsync(string? token, HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (body is EnrollmentTokenRequest e)
            {
                request.Content = JsonContent.Create(e, ServerJsonContext.Default.EnrollmentTokenRequest);
            }
            else if (body is OperatorTokenRequest o)
            {
                request.Content = JsonContent.Create(o, ServerJsonContext.Default.OperatorTokenRequest);
            }

            using HttpResponseMessage response = await server.Api.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            return response.StatusCode;
        }

        var enrollToken = new EnrollmentTokenRequest("f", 10, 1);
        var opToken = new OperatorTokenRequest("x", "viewer");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(null, HttpMethod.Get, "/v1/devices"));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("gop_wrong", HttpMethod.Get, "/v1/devices"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(viewer, HttpMethod.Get, "/v1/devices"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(viewer, HttpMethod.Get, "/v1/models"));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(viewer, HttpMethod.Post, "/v1/enrollment-tokens", enrollToken));
        Assert.Equal(HttpStatusCode.Created, await CallAsync(op, HttpMethod.Post, "/v1/enrollment-tokens", enrollToken));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(op, HttpMethod.Post, "/v1/operator-tokens", opToken));
        Assert.Equal(HttpStatusCode.Created, await CallAsync(server.App.BootstrapAdminToken, HttpMethod.Post, "/v1/operator-tokens", opToken));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_bootstrap_admin_token_is_made_once_and_written_owner_only()
    {
        string data = Directory.CreateTempSubdirectory("geoedge-fleet-boot-").FullName;
        try
        {
            var options = new FleetServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0" };
            string? first;
            await using (FleetServerApp app = await FleetServerApp.CreateAsync(options, logging: _ => { }))
            {
                first = app.BootstrapAdminToken;
            }

            await using FleetServerApp again = await FleetServerApp.CreateAsync(options, logging: _ => { });
            string file = Path.Combine(data, FleetServerApp.BootstrapTokenFileName);

            Assert.NotNull(first);
            Assert.Null(again.BootstrapAdminToken);
            Assert.Equal(first + "\n", await File.ReadAllTextAsync(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "ca.key.pem")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
