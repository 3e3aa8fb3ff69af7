using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Rollouts;

namespace GeoEdge.FleetServer.Tests.Rollouts;

[Trait("Category", "Unit")]
public sealed class RolloutValidatorTests
{
    private static bool Registry(string model, string version) => model == "shapes-dgcnn" && version is "1.0.0" or "1.1.0";

    [Fact]
    public void The_example_request_is_valid()
    {
        RolloutValidator.Validate(RolloutFixture.Request(), Registry);
    }

    public static TheoryData<string, RolloutRequest> BadRows()
    {
        RolloutRequest ok = RolloutFixture.Request();
        StageSpec s = RolloutFixture.Stage("canary", 10);
        return new TheoryData<string, RolloutRequest>
        {
            { "toVersion", ok with { ToVersion = "9.9.9" } },
            { "fromVersion", ok with { FromVersion = "1.1.0" } },
            { "fromVersion", ok with { FromVersion = null, AutoRevert = true } },
            { "stages", ok with { Stages = [] } },
            { "stages[1].name", ok with { Stages = [s, s with { Percent = 20 }] } },
            { "stages[0]", ok with { Stages = [s with { Percent = null }, RolloutFixture.Stage("rest", null)] } },
            { "stages[0]", ok with { Stages = [s with { Count = 3 }, RolloutFixture.Stage("rest", null)] } },
            { "stages[0].percent", ok with { Stages = [s with { Percent = 0 }] } },
            { "stages[0].count", ok with { Stages = [s with { Percent = null, Count = -1 }] } },
            { "stages[0].minDevices", ok with { Stages = [s with { MinDevices = 0 }] } },
            { "stages[0].bakeMinutes", ok with { Stages = [s with { BakeMinutes = -1 }] } },
            { "stages[0].successPct", ok with { Stages = [s with { SuccessPct = 101 }] } },
            { "stages[0].errorPct", ok with { Stages = [s with { ErrorPct = -5 }] } },
            { "stages[0].onSuccess", ok with { Stages = [s with { OnSuccess = "later" }] } },
            { "stages[0].inProgressTimeoutMinutes", ok with { Stages = [s with { InProgressTimeoutMinutes = 0 }] } },
            { "stages[1].percent", ok with { Stages = [s with { Percent = 60 }, s with { Name = "b", Percent = 50 }] } },
            { "healthGate.maxErrorRate", ok with { HealthGate = new HealthGate(1.5, null) } },
            { "healthGate.maxP95LatencyMs", ok with { HealthGate = new HealthGate(null, 0) } },
            { "maintenanceWindow.startUtc", ok with { MaintenanceWindow = new MaintenanceWindow("24:00", "04:00") } },
            { "maintenanceWindow.startUtc", ok with { MaintenanceWindow = new MaintenanceWindow(null!, "04:00") } },
            { "maintenanceWindow.endUtc", ok with { MaintenanceWindow = new MaintenanceWindow("22:00", "4am") } },
            { "maintenanceWindow", ok with { MaintenanceWindow = new MaintenanceWindow("03:00", "03:00") } },
        };
    }

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_bad_request_names_the_field(string field, RolloutRequest request)
    {
        RolloutRequestException e = Assert.Throws<RolloutRequestException>(() => RolloutValidator.Validate(request, Registry));

        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ": ", e.Message, StringComparison.Ordinal);
        // A window is well-formed JSON the devices could not act on: 422; every other refusal is a malformed request, 400.
        Assert.Equal(field.StartsWith("maintenanceWindow", StringComparison.Ordinal) ? 422 : 400, e.Status);
    }

    [Theory]
    [InlineData("22:00", "04:00")]
    [InlineData("00:00", "23:59")]
    [InlineData("09:30", "09:31")]
    public void A_usable_window_passes(string start, string end)
    {
        RolloutValidator.Validate(RolloutFixture.Request() with { MaintenanceWindow = new MaintenanceWindow(start, end) }, Registry);
    }
}
