using GeoEdge.Host.Diagnostics;

namespace GeoEdge.Host.Tests.Diagnostics;

[Trait("Category", "Unit")]
public sealed class ReadinessTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(40, false)]
    public void A_pipeline_whose_last_five_inferences_threw_is_not_ready_even_while_it_ticks(int failedInARow, bool ready)
    {
        // Ticked just now (a sensor pipeline ticks on every reading, also while each window's scoring throws).
        var pipeline = new PipelineHeartbeat("building", "sensor-stgnn", "2.0.0", Now, TimeSpan.FromSeconds(1), failedInARow, failedInARow == 0 ? null : "OnnxRuntimeException: out of memory");
        var snapshot = new DeviceSnapshot("bench-01", new BoardInfo("dev-x64", "x64", "none"), Now, "cpu", [pipeline], [new ModelState("sensor-stgnn", true, "2.0.0", null)]);

        ReadinessResponse response = Readiness.Evaluate(snapshot, Now, 3);

        Assert.Equal(ready, response.Ready);
        string[] reasons = ready ? [] : [$"pipeline 'building' failed its last {failedInARow} inferences; the last: OnnxRuntimeException: out of memory"];
        Assert.Equal(reasons, response.Reasons);
    }
}
