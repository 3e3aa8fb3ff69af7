using System.Text.Json;
using System.Text.Json.Nodes;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Tests.Evaluate;

/// <summary>A point-cloud bundle whose model reads k = 8 neighbours (edge pruning) or 512 points (point pruning) packs, evaluates and classifies with the k and points its manifest names; pack refuses a spec that names others.</summary>
[Trait("Category", "Integration")]
public sealed class EdgePrunedBundleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The shipped fp32 graph with its declared inputs rewritten to pos [B,points,3] and knn [B,points,k]: its internal
    /// shapes are dynamic, so it runs on fewer neighbours (the first k of the 16: the kNN is nearest first) and fewer points.
    /// </summary>
    private string Model(int points, int k)
    {
        OnnxModel model = OnnxModel.Load(Fixtures.Path("shapes-dgcnn", "bundle", "model.onnx"));
        foreach (string input in (string[])["pos", "knn"])
        {
            model.Graph.Input.Single(i => i.Name == input).Type.TensorType.Shape.Dim[1].DimValue = points;
        }

        model.Graph.Input.Single(static i => i.Name == "knn").Type.TensorType.Shape.Dim[2].DimValue = k;
        string path = _temp.File($"model-{points}-{k}.onnx");
        model.Save(path);
        return path;
    }

    /// <summary>The shipped manifest as a pack spec with preprocessing.points / knn.k and the inputs' dimensions set to <paramref name="points"/> and <paramref name="k"/>.</summary>
    private string Spec(int points, int k, int? declaredPoints = null)
    {
        JsonObject spec = (JsonObject)JsonNode.Parse(File.ReadAllText(Fixtures.Path("shapes-dgcnn", "bundle", "manifest.json")))!;
        foreach (string computed in (string[])["created", "model", "files"])
        {
            spec.Remove(computed);
        }

        spec["preprocessing"]!["points"] = declaredPoints ?? points;
        spec["preprocessing"]!["knn"]!["k"] = k;
        JsonArray inputs = spec["inputs"]!.AsArray();
        inputs.Single(static i => (string?)i!["name"] == "pos")!["shape"]![1] = points;
        JsonNode knn = inputs.Single(static i => (string?)i!["name"] == "knn")!;
        knn["shape"]![1] = points;
        knn["shape"]![2] = k;
        string path = _temp.File($"spec-{declaredPoints ?? points}-{points}-{k}.json");
        File.WriteAllText(path, spec.ToJsonString());
        return path;
    }

    private string Pack(int points, int k)
    {
        string bundle = _temp.File($"bundle-{points}-{k}");
        CliResult packed = CliRunner.Run("pack", Model(points, k), "--spec", Spec(points, k), "--key", Key, "--out", bundle);
        Assert.True(packed.ExitCode == 0, packed.Stderr);
        return bundle;
    }

    // 109 of 240 correct: what PyTorch gives this (1,024 points, k = 16 trained) model on the first 8 of each point's 16
    // neighbours; 199 on the 512 farthest points of each cloud with their own 8 nearest (about the neighbourhood radius
    // it was trained on); with all 1,024 points and 16 neighbours it gets 205 (the shipped report). A tool that fed 16
    // neighbours, or 1,024 points, or sampled other points than the recipe's farthest-point rule, would show here.
    [Theory]
    [InlineData(1024, 8, 109)]
    [InlineData(512, 8, 199)]
    public void Evaluate_feeds_the_manifests_points_and_k_neighbours(int points, int k, int expectedCorrect)
    {
        string bundle = Pack(points, k);
        string dir = _temp.File("eval");

        CliResult r = CliRunner.Run("evaluate", bundle, "--data", Fixtures.Path("shapes-dgcnn", "data", "test.npz"), "--robustness", "off", "--out", dir, "--trusted", Pub);

        Assert.True(r.ExitCode == 0, r.Stderr);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
        Assert.Equal(240, json.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(expectedCorrect / 240d, json.RootElement.GetProperty("accuracy").GetDouble(), 12);
    }

    [Theory]
    [InlineData(1024, 8, 109)]
    [InlineData(512, 8, 199)]
    public void The_device_pipeline_builds_the_pruned_graph_and_classifies_like_evaluate(int points, int k, int expectedCorrect)
    {
        using ModelBundle bundle = ModelBundle.Open(Pack(points, k), TrustedKeys.FromPemFiles(Pub));
        using var pipeline = new PointCloudClassification(bundle, new PointCloudClassificationOptions { Session = new() { MaxConcurrency = 1, IntraOpThreads = 1 }, MaxDegreeOfParallelism = 1 });
        IReadOnlyDictionary<string, NpyArray> test = NpzFile.Read(Fixtures.Path("shapes-dgcnn", "data", "test.npz"));
        float[] pos = test["pos"].AsSpan<float>().ToArray();
        long[] labels = test["label"].AsSpan<long>().ToArray();

        Assert.Equal([1L, points, k], pipeline.Session.Inputs.Single(static i => i.Name == "knn").Shape);
        Assert.Equal([1L, points, 3], pipeline.Session.Inputs.Single(static i => i.Name == "pos").Shape);
        int correct = 0;
        for (int c = 0; c < labels.Length; c++)
        {
            // every test cloud has 1,024 points: the 512-point bundle's pipeline samples them down itself
            CloudClassification result = pipeline.Classify(pos.AsSpan(c * 1024 * 3, 1024 * 3).ToArray()).Value!;
            correct += result.Label == labels[c] ? 1 : 0;
        }

        Assert.Equal(expectedCorrect, correct);
    }

    [Fact]
    public void Quantize_and_prune_sample_full_size_clouds_down_to_a_point_pruned_models_points()
    {
        string bundle = Pack(512, 8);
        string test = Fixtures.Path("shapes-dgcnn", "data", "test.npz");

        // the committed splits hold 1,024-point clouds: calibration and the accuracy checks sample 512 as the device does
        CliResult quantized = CliRunner.Run("quantize", bundle, "--out", _temp.File("q"), "--key", Key, "--static",
            "--calibration", Fixtures.Path("shapes-dgcnn", "data", "validation.npz"), "--samples", "16", "--data", test);
        CliResult pruned = CliRunner.Run("prune", bundle, "--out", _temp.File("p"), "--key", Key, "--unstructured", "0.1", "--data", test);

        Assert.True(quantized.ExitCode == 0, quantized.Stderr);
        Assert.Contains("accuracy on " + test + " (240 samples): float 82.92%", quantized.Stdout, StringComparison.Ordinal); // 199 / 240
        Assert.True(pruned.ExitCode == 0, pruned.Stderr);
        Assert.Contains("accuracy on 240 test samples: 82.92 % ->", pruned.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_refuses_a_spec_whose_k_and_knn_shape_disagree_with_the_model()
    {
        string bundle = _temp.File("k16");

        CliResult r = CliRunner.Run("pack", Model(1024, 8), "--spec", Spec(1024, 16), "--key", Key, "--out", bundle);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("$.inputs[1].shape[2]: 'knn' dimension 2 is 16, the model declares [B, 1024, 8]", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("$.preprocessing.knn.k: 16 neighbours, but the model's 'knn' input takes 8 per point", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bundle) || File.Exists(bundle));
    }

    [Fact]
    public void Pack_refuses_a_spec_whose_points_disagree_with_the_model()
    {
        string bundle = _temp.File("p1024");

        // the inputs say 512 (as the model does) but preprocessing.points still says 1,024: the pipeline would sample
        // 1,024 points into a 512-point model's buffers
        CliResult r = CliRunner.Run("pack", Model(512, 8), "--spec", Spec(512, 8, declaredPoints: 1024), "--key", Key, "--out", bundle);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("$.preprocessing.points: 1024 points per cloud, but the model's 'pos' input takes 512 [B, 512, 3]", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("$.preprocessing.points: 1024 points per cloud, but the model's 'knn' input takes 512 [B, 512, 8]", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bundle) || File.Exists(bundle));
    }
}
