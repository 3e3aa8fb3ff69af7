using System.Text;
using GeoEdge.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.Inference.Tests.Runtime;

[Trait("Category", "Integration")]
public sealed class FreeDimensionsTests
{
    // gather_mlp.onnx: pos [B,8,3], nbr [B,8,2]; its export computes batch offsets from Shape(pos) -> Gather -> Range -> Mul.
    private static string Model => Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx", "session", "gather_mlp.onnx");

    private static IReadOnlyDictionary<string, NodeMetadata> Metadata()
    {
        using var session = new InferenceSession(Model);
        return session.InputMetadata;
    }

    private static TensorDescription[] Inputs(long posBatch, long nbrBatch) =>
    [
        new("pos", TensorElementType.Float, [posBatch, 8, 3]),
        new("nbr", TensorElementType.Int64, [nbrBatch, 8, 2]),
    ];

    [Fact]
    public void The_batch_is_bound_to_the_size_the_buffers_give_it()
    {
        Dictionary<string, long> bound = FreeDimensions.Bind(Metadata(), Inputs(3, 3));

        Assert.Equal(new Dictionary<string, long> { ["B"] = 3 }, bound);
        Assert.Equal("B=3", FreeDimensions.Describe(bound));
    }

    [Fact]
    public void A_name_two_inputs_give_different_sizes_is_left_free()
    {
        Dictionary<string, long> bound = FreeDimensions.Bind(Metadata(), Inputs(3, 2));

        Assert.Empty(bound);
        Assert.Equal(string.Empty, FreeDimensions.Describe(bound));
    }

    [Fact]
    public void The_optimized_graph_of_a_bound_batch_has_its_shape_arithmetic_folded()
    {
        string cache = Directory.CreateTempSubdirectory("geoedge-freedim-").FullName;
        try
        {
            var options = new ModelSessionOptions
            {
                InputShapes = new Dictionary<string, long[]> { ["pos"] = [3, 8, 3], ["nbr"] = [3, 8, 2] },
                MaxConcurrency = 1,
                IntraOpThreads = 1,
                OptimizedModelCachePath = cache,
            };
            using (ModelSession.Load(Model, options))
            {
            }

            byte[] original = File.ReadAllBytes(Model);
            byte[] optimized = File.ReadAllBytes(Assert.Single(Directory.GetFiles(cache)));

            // NodeProto.op_type is field 4 (tag 0x22), a length-prefixed string: the original has these nodes, the
            // optimized graph none of them (Shape of a now-fixed input and everything computed from it became constants).
            foreach (string op in (string[])["Shape", "Range"])
            {
                Assert.True(HasOpType(original, op), $"fixture lost its {op} node");
                Assert.False(HasOpType(optimized, op), $"{op} still in the optimized graph");
            }
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void Sessions_of_different_batches_keep_separate_optimized_graphs()
    {
        string cache = Directory.CreateTempSubdirectory("geoedge-freedim-").FullName;
        try
        {
            foreach (long batch in (long[])[1, 3])
            {
                using ModelSession session = ModelSession.Load(Model, new ModelSessionOptions
                {
                    InputShapes = new Dictionary<string, long[]> { ["pos"] = [batch, 8, 3], ["nbr"] = [batch, 8, 2] },
                    MaxConcurrency = 1,
                    IntraOpThreads = 1,
                    OptimizedModelCachePath = cache,
                });
            }

            Assert.Equal(2, Directory.GetFiles(cache).Length);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static bool HasOpType(byte[] model, string op)
    {
        byte[] field = [0x22, (byte)op.Length, .. Encoding.ASCII.GetBytes(op)];
        return model.AsSpan().IndexOf(field) >= 0;
    }
}
