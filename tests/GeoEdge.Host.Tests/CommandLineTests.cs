using GeoEdge.Host.Cli;

namespace GeoEdge.Host.Tests;

[Trait("Category", "Unit")]
public sealed class CommandLineTests
{
    [Fact]
    public void Unknown_verb_prints_one_error_line_and_exits_with_usage_code()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = CommandLine.Run(["frobnicate"], stdout, stderr);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n'));
        Assert.Contains("frobnicate", stderr.ToString(), StringComparison.Ordinal);
    }
}
