namespace GeoEdge.ModelTool.Tests;

[Trait("Category", "Fault")]
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown verb 'frobnicate'")]
    [InlineData(new[] { "pack", "m.onnx", "--key", "k.pem", "--out", "o" }, "option --spec SPEC.json is required")]
    [InlineData(new[] { "pack", "m.onnx", "--spec", "s", "--key", "k", "--out", "o", "--sign" }, "unknown option --sign")]
    [InlineData(new[] { "pack", "--spec", "s", "--key", "k", "--out", "o" }, "expected 1 argument(s)")]
    [InlineData(new[] { "pack", "m.onnx", "--spec", "a", "--spec", "b", "--key", "k", "--out", "o" }, "option --spec given twice")]
    [InlineData(new[] { "verify-bundle", "b.geob" }, "give at least one --trusted PUB.pem")]
    [InlineData(new[] { "verify-bundle", "b.geob", "--trusted" }, "option --trusted needs a value")]
    [InlineData(new[] { "keygen" }, "option --out DIR is required")]
    [InlineData(new[] { "keygen", "--out", "d", "--name", "../x" }, "--name must be a plain file name")]
    public void Command_line_mistakes_exit_2_with_one_line(string[] args, string message)
    {
        CliResult r = CliRunner.Run(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void No_arguments_prints_usage_and_exits_2_help_exits_0()
    {
        Assert.Equal(2, CliRunner.Run().ExitCode);
        CliResult help = CliRunner.Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("verify-bundle BUNDLE (--trusted PUB.pem ... | --allow-unsigned)", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_bundle_is_a_failure_not_a_usage_error()
    {
        CliResult r = CliRunner.Run("verify-bundle", "/nonexistent/b.geob", "--allow-unsigned");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("geoedge-model: verification failed: /nonexistent/b.geob: BundleMissing: no bundle directory or .geob file at this path", Assert.Single(r.StderrLines));
    }
}
