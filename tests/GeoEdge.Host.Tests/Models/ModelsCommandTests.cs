using GeoEdge.Host.Cli;

namespace GeoEdge.Host.Tests.Models;

/// <summary>`geoedge models ...` in process, on a real state directory.</summary>
[Trait("Category", "Integration")]
public sealed class ModelsCommandTests
{
    [Fact]
    public void Install_activate_list_and_rollback_through_the_command_line()
    {
        using var temp = new TempDirectory();
        string next = StoreFixtures.PackShapes(temp.File("next.geob"), "1.1.0").Path;
        string[] store = ["--state", temp.File("state"), "--keys", StoreFixtures.DevPublicKey];

        CliResult installed = CliRunner.Run(["models", "install", StoreFixtures.ShapesBundle, .. store]);
        CliResult installedNext = CliRunner.Run(["models", "install", next, .. store]);
        CliResult activated = CliRunner.Run(["models", "activate", "shapes-dgcnn", "1.0.0", .. store]);
        CliResult activatedNext = CliRunner.Run(["models", "activate", "shapes-dgcnn", "1.1.0", .. store]);
        CliResult rolledBack = CliRunner.Run(["models", "rollback", "shapes-dgcnn", .. store]);
        CliResult listed = CliRunner.Run(["models", "list", .. store]);

        Assert.Equal((0, string.Empty), (installed.ExitCode, installed.Stderr));
        Assert.StartsWith("shapes-dgcnn 1.0.0 (", installed.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("): installed\n", installedNext.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, "shapes-dgcnn 1.0.0: active\n"), (activated.ExitCode, activated.Stdout));
        Assert.Equal((0, "shapes-dgcnn 1.1.0: active\n"), (activatedNext.ExitCode, activatedNext.Stdout));
        Assert.Equal((0, "shapes-dgcnn 1.0.0: active\n"), (rolledBack.ExitCode, rolledBack.Stdout));
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal(
            "shapes-dgcnn: active 1.0.0, previous 1.1.0, serving 1.0.0, installed 1.0.0 1.1.0\n  last activation: shapes-dgcnn 1.0.0: active\n",
            listed.Stdout);
    }

    [Fact]
    public void A_failed_activation_exits_1_with_the_reason()
    {
        using var temp = new TempDirectory();
        string[] store = ["--state", temp.File("state"), "--keys", StoreFixtures.DevPublicKey];
        Assert.Equal(0, CliRunner.Run(["models", "install", StoreFixtures.ShapesBundle, .. store]).ExitCode);

        CliResult result = CliRunner.Run(["models", "activate", "shapes-dgcnn", "7.0.0", .. store]);

        Assert.Equal(CommandLine.Failure, result.ExitCode);
        Assert.StartsWith("shapes-dgcnn 7.0.0: rolled back at Verify (", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_bundle_exits_1_naming_the_file()
    {
        using var temp = new TempDirectory();
        string copy = temp.File("bundle");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(StoreFixtures.ShapesBundle))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        File.AppendAllText(Path.Combine(copy, "model.onnx"), "x");

        CliResult result = CliRunner.Run(["models", "install", copy, "--state", temp.File("state"), "--keys", StoreFixtures.DevPublicKey]);

        Assert.Equal(CommandLine.Failure, result.ExitCode);
        Assert.Contains("model.onnx", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("models")]
    [InlineData("models list")]
    [InlineData("models list --state s")]
    [InlineData("models frob --state s --keys k.pem")]
    public void Bad_command_lines_exit_with_the_usage_code(string line)
    {
        using var temp = new TempDirectory();
        string[] args = [.. line.Split(' ').Select(a => a == "k.pem" ? StoreFixtures.DevPublicKey : a == "s" ? temp.File("state") : a)];

        CliResult result = CliRunner.Run(args);

        Assert.Equal(CommandLine.Usage, result.ExitCode);
    }
}
