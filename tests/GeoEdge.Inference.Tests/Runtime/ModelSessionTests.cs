using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Runtime;
using GeoEdge.Testing;

namespace GeoEdge.Inference.Tests.Runtime;

[Trait("Category", "Integration")]
public sealed class ModelSessionTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", "session", name);

    private static readonly float[] Pos = NpyFile.Read(Fixture("gather_mlp.pos.npy")).AsSpan<float>().ToArray();
    private static readonly long[] Nbr = NpyFile.Read(Fixture("gather_mlp.nbr.npy")).AsSpan<long>().ToArray();
    private static readonly float[] ExpectedY = NpyFile.Read(Fixture("gather_mlp.y.npy")).AsSpan<float>().ToArray();
    private static readonly float[] ExpectedPooled = NpyFile.Read(Fixture("gather_mlp.pooled.npy")).AsSpan<float>().ToArray();

    private static ModelSession LoadBatch(int batch, int concurrency = 1, string? cache = null) => ModelSession.Load(
        Fixture("gather_mlp.onnx"),
        new ModelSessionOptions
        {
            InputShapes = new Dictionary<string, long[]> { ["pos"] = [batch, 8, 3], ["nbr"] = [batch, 8, 2] },
            MaxConcurrency = concurrency,
            IntraOpThreads = 1,
            OptimizedModelCachePath = cache,
        });

    [Fact]
    public void Outputs_equal_the_numpy_reference()
    {
        using ModelSession session = LoadBatch(3);
        using InferenceLease lease = session.Rent();
        Pos.CopyTo(lease.Input<float>(session.InputIndex("pos")));
        Nbr.CopyTo(lease.Input<long>(session.InputIndex("nbr")));

        lease.Run();

        Assert.Equal([3L, 8, 4], session.Outputs[session.OutputIndex("y")].Shape);
        AssertClose(ExpectedY, lease.Output<float>(session.OutputIndex("y")));
        AssertClose(ExpectedPooled, lease.Output<float>(session.OutputIndex("pooled")));
    }

    [Fact]
    public void Symbolic_batch_defaults_to_one()
    {
        using ModelSession session = ModelSession.Load(Fixture("gather_mlp.onnx"), new ModelSessionOptions { MaxConcurrency = 1 });

        Assert.Equal([1L, 8, 3], session.Inputs[session.InputIndex("pos")].Shape);
        Assert.Equal([1L, 4], session.Outputs[session.OutputIndex("pooled")].Shape);
    }

    [Fact]
    public void An_inference_after_warm_up_allocates_nothing()
    {
        using ModelSession session = LoadBatch(3);
        int pos = session.InputIndex("pos"), nbr = session.InputIndex("nbr"), pooled = session.OutputIndex("pooled");
        double sum = 0; // a float sum over 3,010 calls drifts by 0.1 from the product; a double does not
        void Infer()
        {
            using InferenceLease lease = session.Rent();
            Pos.CopyTo(lease.Input<float>(pos));
            Nbr.CopyTo(lease.Input<long>(nbr));
            lease.Run();
            sum += lease.Output<float>(pooled)[0];
        }

        for (int i = 0; i < 10; i++)
        {
            Infer();
        }

        long allocated = Allocations.LeastPerRound(Allocations.Rounds, () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                Infer();
            }
        });

        Assert.Equal(0, allocated);
        int calls = 10 + (Allocations.Rounds * 1000); // the warm-up calls and 1,000 per round
        Assert.Equal(calls * (double)ExpectedPooled[0], sum, calls * 1e-5); // 1e-5 per call, as AssertClose allows
    }

    [Fact]
    public void Concurrent_callers_each_get_their_own_results()
    {
        using ModelSession session = LoadBatch(1, concurrency: 4);
        int pos = session.InputIndex("pos"), nbr = session.InputIndex("nbr"), pooled = session.OutputIndex("pooled");
        int failures = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, caller =>
        {
            int example = caller % 3;
            for (int i = 0; i < 200; i++)
            {
                using InferenceLease lease = session.Rent();
                Pos.AsSpan(example * 24, 24).CopyTo(lease.Input<float>(pos));
                Nbr.AsSpan(example * 16, 16).CopyTo(lease.Input<long>(nbr));
                lease.Run();
                ReadOnlySpan<float> result = lease.Output<float>(pooled);
                for (int c = 0; c < 4; c++)
                {
                    if (Math.Abs(result[c] - ExpectedPooled[(example * 4) + c]) > 1e-5f)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Preferred_providers_missing_from_the_build_fall_back_to_cpu_with_the_reason()
    {
        using ModelSession session = ModelSession.Load(
            Fixture("gather_mlp.onnx"),
            new ModelSessionOptions { ProviderPreference = [ExecutionProviderKind.TensorRT, ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu], MaxConcurrency = 1 });

        Assert.Equal(ExecutionProviderKind.Cpu, session.Providers.Active);
        Assert.Equal([ExecutionProviderKind.TensorRT, ExecutionProviderKind.Cuda], session.Providers.Fallbacks.Select(f => f.Provider));
        Assert.All(session.Providers.Fallbacks, f => Assert.Contains("not compiled into", f.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_optimized_model_cache_is_written_once_and_reused()
    {
        string cache = Directory.CreateTempSubdirectory("geoedge-ortcache-").FullName;
        try
        {
            using (LoadBatch(3, cache: cache))
            {
            }

            string[] cached = Directory.GetFiles(cache);
            Assert.Single(cached);
            DateTime written = File.GetLastWriteTimeUtc(cached[0]);

            using ModelSession second = LoadBatch(3, cache: cache);
            using InferenceLease lease = second.Rent();
            Pos.CopyTo(lease.Input<float>(0));
            Nbr.CopyTo(lease.Input<long>(1));
            lease.Run();

            AssertClose(ExpectedPooled, lease.Output<float>(second.OutputIndex("pooled")));
            Assert.Equal(written, File.GetLastWriteTimeUtc(cached[0]));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void A_configured_shape_that_contradicts_the_model_is_rejected()
    {
        var options = new ModelSessionOptions { InputShapes = new Dictionary<string, long[]> { ["pos"] = [1, 9, 3] } };

        var error = Assert.Throws<ArgumentException>(() => ModelSession.Load(Fixture("gather_mlp.onnx"), options));

        Assert.Contains("dimension 1 is fixed at 8", error.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
