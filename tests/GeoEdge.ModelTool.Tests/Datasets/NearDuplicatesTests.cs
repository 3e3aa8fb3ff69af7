using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Datasets;

namespace GeoEdge.ModelTool.Tests.Datasets;

/// <summary>Near-duplicate fingerprints: reordered and slightly perturbed copies match, other clouds and coarse noise do not.</summary>
[Trait("Category", "Unit")]
public sealed class NearDuplicatesTests
{
    // Every coordinate sits well inside its rounding cell for quanta 1e-3 and 0.1, so the 1e-4 and 4e-3 offsets below move no coordinate across a cell boundary they are not meant to cross.
    private static readonly float[] A = [0.01f, 0.02f, 0.03f, -0.5f, 0.22f, 1f, 2f, 2f, 2f];
    private static readonly float[] B = [1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f];
    private static readonly float[] C = [0.5f, 0.5f, 0.5f, 0.6f, 0.6f, 0.6f, 0.7f, 0.7f, 0.7f];

    private static NpyArray Clouds(params float[][] clouds) => NpyArray.FromFloat32([.. clouds.SelectMany(static c => c)], clouds.Length, 3, 3);

    private static float[] Reversed(float[] cloud) => [.. cloud[6..9], .. cloud[3..6], .. cloud[0..3]];

    private static float[] Shifted(float[] cloud, float by) => Array.ConvertAll(cloud, x => x + by);

    [Fact]
    public void Reordered_copies_with_noise_below_the_quantum_are_found_with_their_training_index()
    {
        NpyArray train = Clouds(A, B);
        NpyArray test = Clouds(Shifted(Reversed(A), 1e-4f), C, B);

        List<NearDuplicate> found = NearDuplicates.Find(train, test);

        Assert.Equal([new NearDuplicate(0, 0), new NearDuplicate(2, 1)], found);
    }

    [Fact]
    public void Noise_of_several_quanta_is_a_different_cloud()
    {
        Assert.Empty(NearDuplicates.Find(Clouds(A), Clouds(Shifted(A, 4e-3f))));
    }

    [Fact]
    public void A_coarser_quantum_catches_the_larger_noise()
    {
        Assert.Single(NearDuplicates.Find(Clouds(A), Clouds(Shifted(A, 4e-3f)), quantum: 0.1));
    }

    [Fact]
    public void Arrays_that_are_not_point_clouds_are_refused()
    {
        var labels = NpyArray.FromInt64([1, 2], 2);

        var e = Assert.Throws<FormatException>(() => NearDuplicates.Find(labels, Clouds(A)));

        Assert.Contains("train: expected pos [N,P,3] float32", e.Message, StringComparison.Ordinal);
    }
}
