using System.Runtime.InteropServices;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Inference.Tests.Runtime;

/// <summary>Outputs whose shape depends on input values (NonZero) and bool tensors, on nonzero.onnx (tests/fixtures/onnx/runner).</summary>
[Trait("Category", "Integration")]
public sealed class ModelSessionProbeTests
{
    private static readonly string Model = Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", "runner", "nonzero.onnx");

    // x = [-1, 2, 0, 3.5, 7]: mask = x > 0, idx = NonZero(mask) = [[1, 3, 4]].
    private static readonly float[] X = NpyFile.Read(Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", "runner", "nonzero.x.npy")).AsSpan<float>().ToArray();

    private static ModelSessionOptions Options(bool probeWithX) => new()
    {
        InputShapes = new Dictionary<string, long[]> { ["x"] = [5] },
        ShapeProbeInputs = probeWithX
            ? new Dictionary<string, ReadOnlyMemory<byte>> { ["x"] = MemoryMarshal.AsBytes(X.AsSpan()).ToArray() }
            : new Dictionary<string, ReadOnlyMemory<byte>>(),
        MaxConcurrency = 1,
        WarmupRuns = 0,
        IntraOpThreads = 1,
    };

    [Fact]
    public void Probing_with_the_real_values_sizes_a_value_dependent_output_and_binds_bool()
    {
        using ModelSession session = ModelSession.Load(Model, Options(probeWithX: true));
        using InferenceLease lease = session.Rent();
        MemoryMarshal.AsBytes(X.AsSpan()).CopyTo(lease.InputBytes(0));

        lease.Run();

        Assert.Equal([1L, 3], session.Outputs[session.OutputIndex("idx")].Shape);
        Assert.Equal([1L, 3, 4], lease.Output<long>(session.OutputIndex("idx")).ToArray());
        Assert.Equal([false, true, false, true, true], lease.Output<bool>(session.OutputIndex("mask")).ToArray());
        Assert.Equal(new byte[] { 0, 1, 0, 1, 1 }, lease.OutputBytes(session.OutputIndex("mask")).ToArray());
    }

    [Fact]
    public void Probing_with_zeros_sizes_nonzero_for_no_hits_so_a_run_with_hits_fails()
    {
        using ModelSession session = ModelSession.Load(Model, Options(probeWithX: false));
        using InferenceLease lease = session.Rent();
        X.CopyTo(lease.Input<float>(0));

        Assert.Equal([1L, 0], session.Outputs[session.OutputIndex("idx")].Shape);
        Assert.Throws<OnnxRuntimeException>(lease.Run);
    }

    [Fact]
    public void A_probe_value_of_the_wrong_size_is_rejected()
    {
        var options = new ModelSessionOptions
        {
            InputShapes = new Dictionary<string, long[]> { ["x"] = [5] },
            ShapeProbeInputs = new Dictionary<string, ReadOnlyMemory<byte>> { ["x"] = new byte[16] },
            MaxConcurrency = 1,
        };

        var error = Assert.Throws<ArgumentException>(() => ModelSession.Load(Model, options));

        Assert.Equal("probe value for input 'x' has 16 bytes, its buffer 20", error.Message);
    }
}
