using System.Text.Json;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Datasets;

namespace GeoEdge.ModelTool.Tests.Datasets;

/// <summary>Dataset governance through the verbs: pack --split fills the card, evaluate refuses a leaked test split and warns about near-duplicates.</summary>
[Trait("Category", "Integration")]
public sealed class GovernanceVerbTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly NpyArray _pos;
    private readonly long[] _labels;

    public GovernanceVerbTests()
    {
        IReadOnlyDictionary<string, NpyArray> test = NpzFile.Read(Fixtures.Path("shapes-dgcnn", "test.npz"));
        _pos = test["pos"];
        _labels = test["label"].AsSpan<long>().ToArray();
    }

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    public void Dispose() => _temp.Dispose();

    /// <summary>A split of the shipped test clouds <paramref name="clouds"/>, each optionally with its points reversed.</summary>
    private string Split(string name, int[] clouds, bool reversed = false)
    {
        const int Cloud = 1024 * 3;
        var pos = new float[clouds.Length * Cloud];
        for (int i = 0; i < clouds.Length; i++)
        {
            ReadOnlySpan<float> source = _pos.AsSpan<float>().Slice(clouds[i] * Cloud, Cloud);
            for (int p = 0; p < 1024; p++)
            {
                int from = reversed ? 1023 - p : p;
                source.Slice(from * 3, 3).CopyTo(pos.AsSpan((i * Cloud) + (p * 3), 3));
            }
        }

        string path = _temp.File(name);
        NpzFile.Write(path, [new("pos", NpyArray.FromFloat32(pos, clouds.Length, 1024, 3)), new("label", NpyArray.FromInt64([.. clouds.Select(c => _labels[c])], clouds.Length))]);
        return path;
    }

    private string PackWithSplits(string train, string test)
    {
        var spec = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Fixtures.Path("shapes-dgcnn", "bundle", "manifest.json")))!;
        foreach (string computed in (string[])["created", "model", "files"])
        {
            spec.Remove(computed);
        }

        File.WriteAllText(_temp.File("spec.json"), spec.ToJsonString());
        string output = _temp.File("bundle");
        CliResult r = CliRunner.Run("pack", Fixtures.Path("shapes-dgcnn", "bundle", "model.onnx"), "--spec", _temp.File("spec.json"), "--key", Key, "--out", output,
            "--split", $"train={train}", "--split", $"test={test}");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return output;
    }

    [Fact]
    public void Pack_with_splits_pins_each_split_and_evaluate_refuses_the_training_split_as_test_data()
    {
        string train = Split("train.npz", [0, 20, 40, 41]);
        string test = Split("test.npz", [1, 21]);

        string bundle = PackWithSplits(train, test);

        using (ModelBundle b = ModelBundle.Open(bundle, TrustedKeys.FromPemFiles(Pub)))
        {
            DatasetCard card = b.Manifest.Dataset;
            Assert.Equal(DatasetCardBuilder.FileSha256(train), card.Files!["train.npz"]);
            Assert.Equal(DatasetCardBuilder.FileSha256(test), card.Files["test.npz"]);
            Assert.Equal(DatasetCardEditor.SplitSha256(card, "train"), card.Files["train.npz"]);
            Assert.Equal((4L, 2L), (card.Sizes!["train"], card.Sizes["test"]));
            JsonElement balance = card.Extensions!["classBalance"].GetProperty("train");
            Assert.Equal(12, balance.EnumerateObject().Count());
            Assert.Equal(4, balance.EnumerateObject().Sum(c => c.Value.GetInt32()));
            Assert.Equal("CC0-1.0 (procedurally generated)", card.Licence);
            Assert.Equal(DatasetCardBuilder.SetSha256(card.Files), card.Sha256);
        }

        // A renamed copy of the training file: the card's hash catches it without --train.
        string leaked = _temp.File("renamed.npz");
        File.Copy(train, leaked);
        CliResult r = CliRunner.Run("evaluate", bundle, "--data", leaked, "--robustness", "off", "--out", _temp.File("eval"), "--trusted", Pub);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"geoedge-model: refused: test split {leaked} has the same SHA-256", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("pinned by the bundle's dataset card", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("eval")));
        Assert.Equal(0, CliRunner.Run("evaluate", bundle, "--data", test, "--robustness", "off", "--trusted", Pub).ExitCode);
    }

    [Fact]
    public void Evaluate_refuses_a_test_split_identical_to_train_given_on_the_command_line()
    {
        string train = Split("train.npz", [0, 1]);
        string copy = _temp.File("copy.npz");
        File.Copy(train, copy);

        CliResult r = CliRunner.Run("evaluate", Fixtures.Path("shapes-dgcnn", "bundle"), "--data", copy, "--train", train, "--robustness", "off", "--trusted", Pub);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"geoedge-model: refused: test split {copy} has the same SHA-256 ({DatasetCardBuilder.FileSha256(train)}) as training split {train}", r.StderrLines[0]);
    }

    [Fact]
    public void Evaluate_warns_about_test_clouds_that_are_reordered_copies_of_training_clouds_and_reports_the_count()
    {
        string train = Split("train.npz", [0, 20, 40]);
        string test = Split("test.npz", [5, 40, 60, 0], reversed: true);
        string dir = _temp.File("eval");

        CliResult r = CliRunner.Run("evaluate", Fixtures.Path("shapes-dgcnn", "bundle"), "--data", test, "--train", train, "--robustness", "off", "--out", dir, "--trusted", Pub);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal($"geoedge-model: warning: 2 of 4 test clouds in {test} are near-duplicates of training clouds in {train} (same points on a 0.001 grid, any order): test 1 = train 2, test 3 = train 0", r.StderrLines[0]);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
        Assert.Equal(2, json.RootElement.GetProperty("nearDuplicatesOfTraining").GetInt32());
        Assert.Contains("| test clouds that are near-duplicates of training clouds | 2 |", File.ReadAllText(Path.Combine(dir, "report.md")), StringComparison.Ordinal);
    }
}
