using GeoEdge.Host.Service;

namespace GeoEdge.Host.Tests.Service;

[Trait("Category", "Unit")]
public sealed class PipelineActivityTests
{
    [Fact]
    public void Failures_count_in_a_row_per_pipeline_until_the_next_result()
    {
        var activity = new PipelineActivity();
        Assert.Equal((0, (string?)null), (activity.FailedInARow("shapes"), activity.LastError("shapes")));

        activity.Failed("shapes", new InvalidOperationException("first"));
        activity.Failed("shapes", new OutOfMemoryException("second"));
        activity.Failed("building", new InvalidOperationException("other"));
        Assert.Equal((2, "OutOfMemoryException: second"), (activity.FailedInARow("shapes"), activity.LastError("shapes")));
        Assert.Equal(1, activity.FailedInARow("building"));

        activity.Succeeded("shapes");
        Assert.Equal((0, (string?)null), (activity.FailedInARow("shapes"), activity.LastError("shapes")));
        Assert.Equal(1, activity.FailedInARow("building"));

        activity.Failed("shapes", new InvalidOperationException("again"));
        Assert.Equal((1, "InvalidOperationException: again"), (activity.FailedInARow("shapes"), activity.LastError("shapes")));
    }
}
