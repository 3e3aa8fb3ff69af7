using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using GeoEdge.ModelTool.Prune;
using GeoEdge.ModelTool.Tests.Optimize;

namespace GeoEdge.ModelTool.Tests.Prune;

/// <summary>Unstructured and structured pruning on hand-built graphs whose results are worked out by hand.</summary>
[Trait("Category", "Unit")]
public sealed class PruningTests
{
    private static readonly ProofTensor MinusOneOne = new("x", [1, 2], [-1f, 1f], null);

    [Fact]
    public void Unstructured_half_zeroes_the_three_smallest_of_W1_and_the_first_of_two_equal_magnitudes_in_W2()
    {
        (ModelProto pruned, PruneReport report) = ModelPruner.Run(PruneGraphs.Mlp(), new PruneRequest(0.5, null, ChannelNorm.L1, null));

        // |W1| sorted: 0.1 (4), 1 (0), 1.4 (2) then 1.4 (5): the tie goes to the earlier element.
        Assert.Equal([0f, -2f, 0f, 3f, 0f, 1.4f], PruneGraphs.Weights(pruned, "W1"));

        // W2 has 3 weights: floor(1.5) = 1 zero; |1| and |-1| tie, so the first goes.
        Assert.Equal([0f, 2f, -1f], PruneGraphs.Weights(pruned, "W2"));
        Assert.Equal([("fc1", 6L, 0L, 3L), ("fc2", 3L, 0L, 1L)], report.Layers.Select(l => (l.Node, l.Elements, l.ZerosBefore, l.ZerosAfter)));
        Assert.Equal(report.FlopsBefore, report.FlopsAfter);

        // h = relu([-1,1] @ W1' + b1) = relu([3.5, 1.5, 1.65]); y = 3.5*0 + 1.5*2 + 1.65*(-1) + 0.1 = 1.45.
        Assert.Equal(1.45, TinyGraphs.Run(pruned, MinusOneOne)[0], 5);
    }

    [Fact]
    public void Structured_l1_removes_hidden_channel_1_and_the_output_is_the_hand_computed_value()
    {
        (ModelProto pruned, PruneReport report) = ModelPruner.Run(PruneGraphs.Mlp(), new PruneRequest(null, 0.34, ChannelNorm.L1, null));

        Assert.Equal([1f, 1.4f, 3f, 1.4f], PruneGraphs.Weights(pruned, "W1"));
        Assert.Equal([0.5f, 0.25f], PruneGraphs.Weights(pruned, "b1"));
        Assert.Equal([1f, -1f], PruneGraphs.Weights(pruned, "W2"));
        Assert.Equal([2L, 2L], PruneGraphs.Dims(pruned, "W1"));
        GroupOutcome fc1 = report.Groups.Single(g => g.Producers.SequenceEqual(["fc1"]));
        Assert.Equal((3, 2, (string?)null), (fc1.ChannelsBefore, fc1.ChannelsAfter, fc1.Refusal));
        Assert.Equal([1], fc1.Removed);
        Assert.Contains("graph output 'y'", report.Groups.Single(g => g.Producers.SequenceEqual(["fc2"])).Refusal, StringComparison.Ordinal);

        // 2*64*(2*3 + 3*1) -> 2*64*(2*2 + 2*1) on the 64-row probe; parameters 6+3+3+1 -> 4+2+2+1.
        Assert.Equal((1152L, 768L, 13L, 9L), (report.FlopsBefore, report.FlopsAfter, report.ParametersBefore, report.ParametersAfter));
        Assert.Equal(0d, report.MaskedProofError);

        // Original: h = relu([2.5, 1.6, 0.25]), y = 2.5 + 3.2 - 0.25 + 0.1 = 5.55; without channel 1: 2.5 - 0.25 + 0.1 = 2.35.
        Assert.Equal(5.55, TinyGraphs.Run(PruneGraphs.Mlp(), MinusOneOne)[0], 5);
        Assert.Equal(2.35, TinyGraphs.Run(pruned, MinusOneOne)[0], 5);
    }

    [Fact]
    public void Structured_l2_removes_hidden_channel_2_instead()
    {
        (ModelProto pruned, PruneReport report) = ModelPruner.Run(PruneGraphs.Mlp(), new PruneRequest(null, 0.34, ChannelNorm.L2, null));

        Assert.Equal([2], report.Groups.Single(g => g.Producers.SequenceEqual(["fc1"])).Removed);
        Assert.Equal([1f, -2f, 3f, 0.1f], PruneGraphs.Weights(pruned, "W1"));

        // 2.5 + 1.6*2 + 0.1 = 5.8
        Assert.Equal(5.8, TinyGraphs.Run(pruned, MinusOneOne)[0], 5);
    }

    [Fact]
    public void A_tensor_with_two_consumers_and_a_concat_loses_the_same_channel_everywhere()
    {
        (ModelProto pruned, PruneReport report) = ModelPruner.Run(PruneGraphs.SharedAndConcat(), new PruneRequest(null, 0.34, ChannelNorm.L1, null));

        Assert.Equal([1], report.Groups.Single(g => g.Producers.SequenceEqual(["fc_a"])).Removed);

        // fc_b loses row 1 of Wb; in the concat [x, h] channel 1 of h is row 2 + 1 = 3 of Wc.
        Assert.Equal([1f, 2f, 5f, 6f], PruneGraphs.Weights(pruned, "Wb"));
        Assert.Equal([10f, 20f, 30f, 50f], PruneGraphs.Weights(pruned, "Wc"));
        Assert.Equal([4L, 1L], PruneGraphs.Dims(pruned, "Wc"));
        Assert.Equal(0d, report.MaskedProofError);

        // x = [-1, 1]: h = relu([2, 2.1, 0]) -> [2, 0]; yb = [2*1, 2*2] = [2, 4]; yc = -10 + 20 + 2*30 = 70.
        var evaluator = new OrtEvaluator(Google.Protobuf.MessageExtensions.ToByteArray(pruned));
        using (evaluator)
        {
            List<ProofOutput> outputs = evaluator.Run([MinusOneOne]);
            Assert.Equal([2d, 4d], outputs.Single(o => o.Name == "yb").Values);
            Assert.Equal([70d], outputs.Single(o => o.Name == "yc").Values);
        }
    }

    [Fact]
    public void A_constant_matrix_mixing_the_rows_passes_the_channels_through_and_the_same_channel_is_removed()
    {
        var x = new ProofTensor("x", [2, 2], [-1f, 1f, 1f, 0f], null);
        (ModelProto pruned, PruneReport report) = ModelPruner.Run(PruneGraphs.AdjacencyMixing(), new PruneRequest(null, 0.34, ChannelNorm.L1, null));

        Assert.Equal([1], report.Groups.Single(g => g.Producers.SequenceEqual(["fc1"])).Removed);
        Assert.Equal([1f, 1.4f, 3f, 1.4f], PruneGraphs.Weights(pruned, "W1"));
        Assert.Equal([1f, -1f], PruneGraphs.Weights(pruned, "W2"));
        Assert.Equal([0.5f, 0.5f, 0f, 1f], PruneGraphs.Weights(pruned, "A"));
        Assert.Equal(0d, report.MaskedProofError);

        // h = relu([[2.5, 1.6, 0.25], [1.5, -2.5, 1.65]]) = [[2.5, 1.6, 0.25], [1.5, 0, 1.65]]; m = A @ h = [[2, 0.8, 0.95], [1.5, 0, 1.65]];
        // y = m @ [1, 2, -1] + 0.1 = [2.75, -0.05]; without channel 1: [2 - 0.95 + 0.1, 1.5 - 1.65 + 0.1] = [1.15, -0.05].
        Assert.Equal([2.75, -0.05], TinyGraphs.Run(PruneGraphs.AdjacencyMixing(), x).Select(v => Math.Round(v, 5)));
        Assert.Equal([1.15, -0.05], TinyGraphs.Run(pruned, x).Select(v => Math.Round(v, 5)));
    }

    [Fact]
    public void A_constant_matrix_that_contracts_the_channels_is_refused_naming_the_node()
    {
        var e = Assert.Throws<PruneRefusedException>(() => ModelPruner.Run(PruneGraphs.ChannelContractingMatMul(), new PruneRequest(null, 0.34, ChannelNorm.L1, null)));

        Assert.Contains("node 'mix' (MatMul) contracts the channel axis with its constant matrix", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reshape_that_mixes_channels_is_refused_naming_the_node()
    {
        var e = Assert.Throws<PruneRefusedException>(() => ModelPruner.Run(PruneGraphs.ChannelMixingReshape(), new PruneRequest(null, 0.5, ChannelNorm.L1, null)));

        Assert.Contains("node 'mix' (Reshape) reshapes across the channel axis", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ratios_and_sparsities_outside_their_range_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ModelPruner.Run(PruneGraphs.Mlp(), new PruneRequest(null, 1.0, ChannelNorm.L1, null)));
        Assert.Throws<ArgumentException>(() => ModelPruner.Run(PruneGraphs.Mlp(), new PruneRequest(-0.1, null, ChannelNorm.L1, null)));
    }

    [Theory]
    [InlineData(16, 0.25, 1, 4)] // floor(0.25 x 16) = 4 out, 12 kept
    [InlineData(16, 0.25, 8, 0)] // 12 kept rounds up to 16: nothing to gain on 8-channel blocks
    [InlineData(16, 0.5, 8, 8)]
    [InlineData(32, 0.4, 8, 8)] // floor(12.8) = 12 out, 20 kept -> 24
    [InlineData(12, 0.5, 8, 4)] // 6 kept -> 8
    [InlineData(4, 0.5, 8, 0)] // the group itself is smaller than a block
    [InlineData(16, 0.99, 8, 8)] // 1 kept -> 8
    public void The_kept_channel_count_rounds_up_to_the_multiple(int channels, double ratio, int multiple, int removed)
    {
        double[] scores = [.. Enumerable.Range(0, channels).Select(c => (double)((c * 7) % channels))];

        HashSet<int> least = ChannelImportance.LeastImportant(scores, ratio, multiple);

        Assert.Equal(removed, least.Count);
        // still the lowest scores: scores are a permutation of 0..channels-1
        Assert.All(least, c => Assert.True(scores[c] < removed));
    }
}
