using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Runtime;
using Xunit.Abstractions;

namespace GeoEdge.Inference.Tests.Models;

/// <summary>ONNX Runtime, through the same ModelSession a device uses, reproduces the PyTorch outputs saved by each recipe.</summary>
[Trait("Category", "Integration")]
public sealed class ReferenceParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(ShippedModels.Shapes, new[] { "pos", "knn" }, new[] { "logits", "embedding" })]
    [InlineData(ShippedModels.Sensors, new[] { "x" }, new[] { "scores" })]
    public void Every_reference_input_reproduces_the_pytorch_outputs(string model, string[] inputs, string[] outputs)
    {
        Dictionary<string, NpyArray> reference = ShippedModels.ReadNpz(ShippedModels.File(model, "reference.npz"), [.. inputs, .. outputs]);
        int samples = reference[inputs[0]].Shape[0];
        Assert.True(samples >= 8, $"{model}: reference.npz holds {samples} samples");
        var shapes = new Dictionary<string, long[]>();
        foreach (string name in inputs)
        {
            shapes[name] = [1, .. Array.ConvertAll(reference[name].Shape[1..], d => (long)d)];
        }

        using ModelSession session = ModelSession.Load(ShippedModels.Onnx(model), new() { InputShapes = shapes, MaxConcurrency = 1, IntraOpThreads = 1 });
        using InferenceLease lease = session.Rent();
        double worst = 0;
        for (int s = 0; s < samples; s++)
        {
            foreach (string name in inputs)
            {
                CopySample(reference[name], s, lease.InputBytes(session.InputIndex(name)));
            }

            lease.Run();
            foreach (string name in outputs)
            {
                ReadOnlySpan<float> actual = lease.Output<float>(session.OutputIndex(name));
                ReadOnlySpan<float> expected = reference[name].AsSpan<float>().Slice(s * actual.Length, actual.Length);
                for (int i = 0; i < actual.Length; i++)
                {
                    double error = Math.Abs((double)actual[i] - expected[i]);
                    Assert.True(error <= Tolerance, $"{model} sample {s} {name}[{i}]: ONNX Runtime {actual[i]}, PyTorch {expected[i]}");
                    worst = Math.Max(worst, error);
                }
            }
        }

        output.WriteLine($"{model}: {samples} samples, largest |ONNX Runtime - PyTorch| = {worst:E2}");
    }

    private static void CopySample(NpyArray array, int sample, Span<byte> target)
    {
        Assert.Equal(array.Data.Length / array.Shape[0], target.Length);
        array.Data.AsSpan(sample * target.Length, target.Length).CopyTo(target);
    }
}
