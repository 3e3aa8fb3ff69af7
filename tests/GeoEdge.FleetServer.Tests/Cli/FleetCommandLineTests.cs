using GeoEdge.FleetServer.Cli;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Tests.Cli;

[Trait("Category", "Integration")]
public sealed class FleetCommandLineTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("geoedge-fleet-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await FleetCommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Token_create_writes_tokens_the_server_accepts()
    {
        (int opCode, string opToken, _) = await RunAsync("token", "create", "operator", "--data", _data, "--role", "viewer", "--name", "dashboard");
        (int enCode, string enToken, _) = await RunAsync("token", "create", "enrollment", "--data", _data, "--fleet", "lab", "--max-uses", "3");

        Assert.Equal((0, 0), (opCode, enCode));
        await using FleetStore store = await FleetStore.OpenAsync(FleetDatabase.OpenSqlite(Path.Combine(_data, FleetDatabase.SqliteFileName)), TimeProvider.System, CancellationToken.None);
        Assert.Equal(OperatorRole.Viewer, await store.OperatorTokens.FindRoleAsync(opToken.Trim(), CancellationToken.None));
        TokenRedemption redemption = await store.Database.InTransactionAsync((s, ct) => store.EnrollmentTokens.RedeemAsync(s, enToken.Trim(), ct), CancellationToken.None);
        Assert.Equal("lab", redemption.Fleet);
    }

    [Theory]
    [InlineData("no command", new string[0])]
    [InlineData("unknown command 'frobnicate'", new[] { "frobnicate" })]
    [InlineData("--role 'root' is not viewer, operator or admin", new[] { "token", "create", "operator", "--data", "X", "--role", "root", "--name", "n" })]
    [InlineData("unknown flag --colour", new[] { "token", "create", "enrollment", "--data", "X", "--fleet", "f", "--colour", "red" })]
    [InlineData("--max-uses 'many' is not a positive integer", new[] { "token", "create", "enrollment", "--data", "X", "--fleet", "f", "--max-uses", "many" })]
    [InlineData("--data DIR is required", new[] { "serve" })]
    public async Task Usage_errors_exit_2_and_say_what_is_wrong(string message, string[] args)
    {
        (int code, _, string error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.StartsWith("geoedge-fleet: " + message, error, StringComparison.Ordinal);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }
}

[Trait("Category", "Integration")]
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_starts_a_server_that_prints_its_bootstrap_token_and_answers_with_it()
    {
        string data = Directory.CreateTempSubdirectory("geoedge-fleet-serve-").FullName;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "geoedge-fleet.dll"), "serve", "--data", data, "--urls", "http://127.0.0.1:0",
                "--trusted-key", Support.TestBundles.DevPublicKey,
            },
        };
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        try
        {
            string? token = null;
            Uri? address = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (address is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("bootstrap admin token", StringComparison.Ordinal))
                {
                    token = line[(line.LastIndexOf(' ') + 1)..];
                }
                else if (line.StartsWith("geoedge-fleet listening on ", StringComparison.Ordinal))
                {
                    address = new Uri(line["geoedge-fleet listening on ".Length..].Trim());
                }
            }

            Assert.NotNull(token);
            Assert.NotNull(address);
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage devices = await client.GetAsync("/v1/devices");
            Assert.Equal(System.Net.HttpStatusCode.OK, devices.StatusCode);
            Assert.Equal("[]", await devices.Content.ReadAsStringAsync());
            Assert.Equal(token + "\n", await File.ReadAllTextAsync(Path.Combine(data, "bootstrap-admin.token")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
