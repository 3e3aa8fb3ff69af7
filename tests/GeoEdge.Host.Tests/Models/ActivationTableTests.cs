using GeoEdge.Host.Models;

namespace GeoEdge.Host.Tests.Models;

[Trait("Category", "Unit")]
public sealed class ActivationTableTests
{
    [Theory]
    [InlineData(ActivationState.Verify, ActivationState.Load)]
    [InlineData(ActivationState.Load, ActivationState.WarmUp)]
    [InlineData(ActivationState.WarmUp, ActivationState.SelfTest)]
    [InlineData(ActivationState.SelfTest, ActivationState.Swap)]
    [InlineData(ActivationState.Swap, ActivationState.Commit)]
    [InlineData(ActivationState.Commit, ActivationState.Done)]
    [InlineData(ActivationState.Rollback, ActivationState.Done)]
    public void Success_moves_along_the_happy_path(ActivationState state, ActivationState next) =>
        Assert.Equal(next, ActivationTable.Next(state, ActivationOutcome.Succeeded));

    [Theory]
    [InlineData(ActivationState.Verify, ActivationState.Rollback)]
    [InlineData(ActivationState.Load, ActivationState.Rollback)]
    [InlineData(ActivationState.WarmUp, ActivationState.Rollback)]
    [InlineData(ActivationState.SelfTest, ActivationState.Rollback)]
    [InlineData(ActivationState.Swap, ActivationState.Rollback)]
    [InlineData(ActivationState.Commit, ActivationState.Rollback)]
    [InlineData(ActivationState.Rollback, ActivationState.Done)]
    public void Every_failure_rolls_back_and_a_failed_rollback_still_ends(ActivationState state, ActivationState next) =>
        Assert.Equal(next, ActivationTable.Next(state, ActivationOutcome.Failed));

    [Fact]
    public void Done_is_terminal() =>
        Assert.Throws<InvalidOperationException>(() => ActivationTable.Next(ActivationState.Done, ActivationOutcome.Succeeded));

    [Theory]
    [InlineData(ActivationState.Verify, ActivationState.Rollback)]
    [InlineData(ActivationState.Load, ActivationState.Rollback)]
    [InlineData(ActivationState.WarmUp, ActivationState.Rollback)]
    [InlineData(ActivationState.SelfTest, ActivationState.Rollback)]
    [InlineData(ActivationState.Swap, ActivationState.Rollback)]
    [InlineData(ActivationState.Commit, ActivationState.Commit)]
    [InlineData(ActivationState.Rollback, ActivationState.Rollback)]
    public void A_crash_before_commit_rolls_back_and_after_it_completes(ActivationState persisted, ActivationState resume) =>
        Assert.Equal(resume, ActivationTable.ResumeAfterCrash(persisted));

    [Fact]
    public void Every_path_from_Verify_reaches_Done_within_the_states_count()
    {
        // Walk every combination of outcomes: the table is acyclic, so no path may exceed the number of states.
        var pending = new Stack<(ActivationState State, int Steps)>([(ActivationState.Verify, 0)]);
        int paths = 0;
        while (pending.TryPop(out (ActivationState State, int Steps) at))
        {
            if (at.State == ActivationState.Done)
            {
                paths++;
                continue;
            }

            Assert.True(at.Steps < ActivationTable.WorkingStates.Count, $"path longer than {ActivationTable.WorkingStates.Count} at {at.State}");
            pending.Push((ActivationTable.Next(at.State, ActivationOutcome.Succeeded), at.Steps + 1));
            pending.Push((ActivationTable.Next(at.State, ActivationOutcome.Failed), at.Steps + 1));
        }

        // One success path plus, for each of the 6 forward states, a failure then Rollback's two outcomes (both to Done).
        Assert.Equal(1 + (6 * 2), paths);
    }
}
