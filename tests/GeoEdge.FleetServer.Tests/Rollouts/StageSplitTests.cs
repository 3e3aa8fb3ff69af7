using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Rollouts;

namespace GeoEdge.FleetServer.Tests.Rollouts;

[Trait("Category", "Unit")]
public sealed class StageSplitTests
{
    [Fact]
    public void Ten_devices_split_10_50_rest_in_hash_order()
    {
        IReadOnlyList<IReadOnlyList<string>> split = StageSplit.Split("r1", RolloutFixture.Devices, RolloutFixture.Request().Stages);

        Assert.Equal(RolloutFixture.Canary, split[0]);
        Assert.Equal(RolloutFixture.Middle, split[1]);
        Assert.Equal(RolloutFixture.Rest, split[2]);
    }

    [Fact]
    public void Split_does_not_depend_on_the_input_order()
    {
        string[] reversed = RolloutFixture.Devices.Reverse().ToArray();

        Assert.Equal(StageSplit.Split("r1", RolloutFixture.Devices, RolloutFixture.Request().Stages).SelectMany(s => s),
            StageSplit.Split("r1", reversed, RolloutFixture.Request().Stages).SelectMany(s => s));
    }

    [Fact]
    public void Another_rollout_id_gives_another_canary()
    {
        // python3: sorted(devices, key=sha256("r2/" + d))[0]
        Assert.Equal(["d06"], StageSplit.Split("r2", RolloutFixture.Devices, RolloutFixture.Request().Stages)[0]);
    }

    [Theory]
    [InlineData(3, 10.0, 1)]   // rounded up: a canary is never empty
    [InlineData(10, 25.0, 3)]
    [InlineData(4, 50.0, 2)]
    [InlineData(1, 10.0, 1)]
    public void Percent_rounds_up(int devices, double percent, int expected)
    {
        string[] ids = Enumerable.Range(0, devices).Select(i => $"x{i}").ToArray();
        StageSpec[] stages = [RolloutFixture.Stage("a", percent), RolloutFixture.Stage("b", null)];

        IReadOnlyList<IReadOnlyList<string>> split = StageSplit.Split("r", ids, stages);

        Assert.Equal(expected, split[0].Count);
        Assert.Equal(devices - expected, split[1].Count);
    }

    [Fact]
    public void Counts_are_clamped_and_the_last_stage_takes_the_rest()
    {
        string[] ids = ["a", "b", "c"];
        StageSpec[] stages = [RolloutFixture.Stage("two", null) with { Count = 2 }, RolloutFixture.Stage("five", null) with { Count = 5 }, RolloutFixture.Stage("rest", 10)];

        IReadOnlyList<IReadOnlyList<string>> split = StageSplit.Split("r", ids, stages);

        Assert.Equal([2, 1, 0], split.Select(s => s.Count));
    }
}
