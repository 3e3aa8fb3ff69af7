using GeoEdge.Host.Diagnostics;

namespace GeoEdge.Host.Tests.Diagnostics;

[Trait("Category", "Unit")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DiagnosticsTokenTests
{
    [Fact]
    public void A_missing_token_file_is_created_owner_only_with_64_hex_characters_and_reused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("state", "diagnostics.token");

        DiagnosticsToken first = DiagnosticsToken.LoadOrCreate(path);
        string text = File.ReadAllText(path).Trim();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Matches("^[0-9a-f]{64}$", text);
        Assert.Single(Directory.GetFiles(dir.File("state")));
        Assert.True(first.Accepts("Bearer " + text));
        Assert.True(DiagnosticsToken.LoadOrCreate(path).Accepts("bearer " + text));
        Assert.Equal(text, File.ReadAllText(path).Trim());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic abc")]
    [InlineData("Bearer ")]
    [InlineData("Bearer 0123456789abcdef0123456789abcdef")]
    [InlineData("Bearer 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeX")]
    public void Anything_but_the_exact_token_is_refused(string? header)
    {
        using var dir = new TempDirectory();
        string path = dir.File("diagnostics.token");
        File.WriteAllText(path, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        DiagnosticsToken token = DiagnosticsToken.LoadOrCreate(path);
        Assert.False(token.Accepts(header));
        Assert.True(token.Accepts("Bearer 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public void A_token_file_others_can_read_is_refused_naming_the_file_and_its_mode()
    {
        using var dir = new TempDirectory();
        string path = dir.File("diagnostics.token");
        File.WriteAllText(path, "0123456789abcdef0123456789abcdef\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<DiagnosticsTokenException>(() => DiagnosticsToken.LoadOrCreate(path));
        Assert.Equal(path, e.File);
        Assert.Contains("mode 644", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_too_short_to_be_secret_is_refused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("diagnostics.token");
        File.WriteAllText(path, "abc\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Contains("holds 3 characters", Assert.Throws<DiagnosticsTokenException>(() => DiagnosticsToken.LoadOrCreate(path)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8470", "127.0.0.1", 8470)]
    [InlineData("http://localhost:9000", "127.0.0.1", 9000)]
    [InlineData("http://0.0.0.0:8470", "0.0.0.0", 8470)]
    [InlineData("http://[::1]:8470", "::1", 8470)]
    public void Urls_bind_to_an_ip_and_port(string url, string address, int port)
    {
        System.Net.IPEndPoint endpoint = DiagnosticsServer.ParseUrl(url);
        Assert.Equal(address, endpoint.Address.ToString());
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("https://127.0.0.1:8470")]
    [InlineData("http://device.example:8470")]
    [InlineData("http://127.0.0.1:8470/diag")]
    [InlineData("127.0.0.1:8470")]
    public void Other_urls_are_refused_naming_the_url(string url) =>
        Assert.Contains(url, Assert.Throws<ArgumentException>(() => DiagnosticsServer.ParseUrl(url)).Message, StringComparison.Ordinal);
}
