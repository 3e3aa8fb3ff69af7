using System.Collections.Concurrent;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Models;

/// <summary>Real shapes-dgcnn inferences through a slot while its pipeline is swapped between two installed versions.</summary>
[Trait("Category", "Integration")]
public sealed class HotSwapTests
{
    private const int Callers = 8;
    private const int Swaps = 20;

    [Fact]
    public async Task Eight_callers_through_twenty_swaps_lose_nothing_and_every_result_names_the_session_that_ran_it()
    {
        using TwoVersionStore store = await TwoVersionStore.CreateAsync(activate: false);
        string[] versions = [StoreFixtures.ShippedVersion, TwoVersionStore.Next];
        float[] cloud = PipelineSelfTest.ReferenceSphere(1024);
        var created = new ConcurrentBag<TrackedPipeline>();
        TrackedPipeline Load(string version)
        {
            var tracked = new TrackedPipeline(ModelPipeline.Load(ModelBundle.Open(store.VersionDirectory(version), StoreFixtures.Keys), StoreFixtures.Session(Callers)));
            created.Add(tracked);
            return tracked;
        }

        var slot = new ModelSlot<TrackedPipeline>(StoreFixtures.Shapes);
        slot.Swap(Load(versions[0]), versions[0]);
        using var done = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        float[] expected;
        using (ModelLease<TrackedPipeline> lease = slot.Acquire())
        {
            expected = lease.Pipeline.Inner.PointCloud!.Classify(cloud).Value!.Logits;
        }

        Task[] callers = [.. Enumerable.Range(0, Callers).Select(_ => Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                using ModelLease<TrackedPipeline> lease = slot.Acquire();
                TrackedPipeline pipeline = lease.Pipeline;
                PipelineResult<CloudClassification> result = pipeline.Inner.PointCloud!.Classify(cloud);
                if (!result.IsSuccess || !result.Value!.Logits.AsSpan().SequenceEqual(expected))
                {
                    failures.Enqueue($"{lease.Version}: {result}");
                }

                if (lease.Version != pipeline.Inner.Version || pipeline.Disposals != 0)
                {
                    failures.Enqueue($"lease says {lease.Version}, the session that ran is {pipeline.Inner.Version} (disposed {pipeline.Disposals}x)");
                }

                counts.AddOrUpdate(lease.Version, 1, static (_, n) => n + 1);
            }
        }))];

        // Swaps must overlap running calls: on a loaded 2-core machine the callers may not be scheduled before 20 swaps are
        // done, so each swap waits until some caller has run on the version before it (or a caller has stopped).
        for (int swap = 1; swap <= Swaps; swap++)
        {
            string previous = versions[(swap - 1) % 2];
            while (counts.GetValueOrDefault(previous) == 0 && !callers.Any(c => c.IsCompleted))
            {
                await Task.Delay(1);
            }

            string version = versions[swap % 2];
            slot.Swap(Load(version), version);
        }

        // Let the callers see the last pipeline too before they stop.
        int seenBefore = counts.GetValueOrDefault(versions[Swaps % 2]);
        while (counts.GetValueOrDefault(versions[Swaps % 2]) < seenBefore + Callers && !callers.Any(c => c.IsCompleted))
        {
            await Task.Delay(5);
        }

        await done.CancelAsync();
        await Task.WhenAll(callers);

        Assert.Empty(failures);
        Assert.True(counts.GetValueOrDefault(versions[0]) > 0 && counts.GetValueOrDefault(versions[1]) > 0, $"both versions ran: {string.Join(", ", counts)}");
        Assert.Equal(Swaps + 1, created.Count);
        Assert.Equal(Swaps, created.Count(p => p.Disposals == 1));
        Assert.Equal(0, created.Count(p => p.Disposals > 1));
        slot.Dispose();
        Assert.All(created, p => Assert.Equal(1, p.Disposals));
    }

    /// <summary>A real pipeline that counts its disposals, so the test can see each old session disposed exactly once.</summary>
    private sealed class TrackedPipeline(ModelPipeline inner) : IDisposable
    {
        private int _disposals;

        public ModelPipeline Inner { get; } = inner;

        public int Disposals => Volatile.Read(ref _disposals);

        public void Dispose()
        {
            if (Interlocked.Increment(ref _disposals) == 1)
            {
                Inner.Dispose();
            }
        }
    }
}
