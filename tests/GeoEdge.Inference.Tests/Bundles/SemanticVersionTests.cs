using GeoEdge.Inference.Bundles;

namespace GeoEdge.Inference.Tests.Bundles;

[Trait("Category", "Unit")]
public sealed class SemanticVersionTests
{
    [Fact]
    public void Precedence_follows_the_semver_specification_example()
    {
        // semver.org §11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
        string[] shuffled = [.. ordered.Reverse()];

        Assert.Equal(ordered, shuffled.Select(SemanticVersion.Parse).Order().Select(v => v.ToString()));
    }

    [Fact]
    public void Build_metadata_does_not_change_precedence()
    {
        Assert.Equal(0, SemanticVersion.Parse("1.0.0+a").CompareTo(SemanticVersion.Parse("1.0.0+b")));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("1.0.0-01")]
    [InlineData("1.0.0+")]
    [InlineData("-1.0.0")]
    [InlineData("1.0.0 ")]
    [InlineData("１.0.0")]
    public void Invalid_versions_do_not_parse(string text)
    {
        Assert.False(SemanticVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => SemanticVersion.Parse(text));
    }
}
