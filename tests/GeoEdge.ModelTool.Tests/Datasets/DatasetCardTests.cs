using System.Security.Cryptography;
using System.Text;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Datasets;

namespace GeoEdge.ModelTool.Tests.Datasets;

/// <summary>The dataset card filler and the split leak check on small written splits and on shapes-dgcnn's shipped test split.</summary>
[Trait("Category", "Unit")]
public sealed class DatasetCardTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Split(string file, params long[] labels)
    {
        string path = _temp.File(file);
        NpzFile.Write(path, [new("pos", NpyArray.FromFloat32(new float[labels.Length * 2 * 3], labels.Length, 2, 3)), new("label", NpyArray.FromInt64(labels, labels.Length))]);
        return path;
    }

    [Fact]
    public void The_card_pins_each_file_by_sha256_and_counts_sizes_and_classes_per_split()
    {
        string train = Split("train.npz", 0, 1, 1, 2);
        string test = Split("test.npz", 2, 2, 0);

        DatasetCard card = DatasetCardBuilder.Build("toy", "1.2.0", "CC0-1.0", "models/training/toy.py", 7,
            [new DatasetSplit("train", train), new DatasetSplit("test", test)], ["a", "b", "c"]);

        string trainSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(train)));
        string testSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(test)));
        Assert.Equal(trainSha, card.Files!["train.npz"]);
        Assert.Equal(testSha, card.Files["test.npz"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"test.npz {testSha}\ntrain.npz {trainSha}\n"))), card.Sha256);
        Assert.Equal((4L, 3L), (card.Sizes!["train"], card.Sizes["test"]));
        Assert.Equal(("toy", "CC0-1.0", "models/training/toy.py", 7L), (card.Name, card.Licence, card.Generator!, card.Seed!.Value));
        Assert.Equal("1.2.0", card.Extensions!["version"].GetString());
        Assert.Equal("""{"train":{"a":1,"b":2,"c":1},"test":{"a":1,"b":0,"c":2}}""", card.Extensions["classBalance"].GetRawText());
    }

    [Fact]
    public void A_label_outside_the_named_classes_is_an_error_naming_the_split()
    {
        string bad = Split("bad.npz", 0, 3);

        var e = Assert.Throws<FormatException>(() => DatasetCardBuilder.Build("toy", "1.0.0", "CC0-1.0", "g", null, [new DatasetSplit("test", bad)], ["a", "b"]));

        Assert.Contains("split 'test' has label 3, outside the 2 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shapes_dgcnn_test_split_has_20_clouds_of_each_of_the_12_classes()
    {
        DatasetCard card = DatasetCardBuilder.Build("geoedge-procedural-shapes", "1.0.0", "CC0-1.0", "models/training/shapes_dgcnn.py", 1234,
            [new DatasetSplit("test", Fixtures.Path("shapes-dgcnn", "test.npz"))]);

        Assert.Equal(240, card.Sizes!["test"]);
        Assert.All(card.Extensions!["classBalance"].GetProperty("test").EnumerateObject(), c => Assert.Equal(20, c.Value.GetInt64()));
        Assert.Equal(12, card.Extensions["classBalance"].GetProperty("test").EnumerateObject().Count());
    }

    [Fact]
    public void A_test_split_identical_to_the_training_split_is_refused_and_a_different_one_passes()
    {
        string train = Split("train.npz", 0, 1);
        string copy = _temp.File("copy.npz");
        File.Copy(train, copy);
        string other = Split("other.npz", 1, 0);

        var e = Assert.Throws<SplitLeakException>(() => SplitLeak.RequireDistinct(train, copy));
        Assert.Contains("copy.npz has the same SHA-256", e.Message, StringComparison.Ordinal);
        SplitLeak.RequireDistinct(train, other);
    }
}
