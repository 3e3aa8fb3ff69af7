using System.Text.Json.Nodes;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>The shipped bundles, as shipped or re-packed with an edited spec, and their reference samples.</summary>
internal static class PipelineBundles
{
    public static PointCloudClassificationOptions CloudOptions => new() { Session = new() { MaxConcurrency = 1, IntraOpThreads = 1 }, MaxDegreeOfParallelism = 1 };

    public static SensorGraphAnomalyOptions SensorOptions => new() { Session = new() { MaxConcurrency = 1, IntraOpThreads = 1 } };

    public static ModelBundle Shipped(string model) =>
        ModelBundle.Open(ShippedModels.Bundle(model), TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));

    /// <summary>The shipped model re-packed (dev key) into <paramref name="temp"/> with <paramref name="edit"/> applied to its spec.</summary>
    public static ModelBundle Repacked(string model, TempDirectory temp, Action<JsonObject> edit) =>
        ModelBundle.Open(RepackedPath(model, temp, edit), TrustedKeys.FromPemFiles(ShippedModels.DevPublicKey));

    /// <summary>Packs like <see cref="Repacked"/>, with <paramref name="files"/> as extra bundle files, into <paramref name="output"/>
    /// (a .geob when it ends so; default a directory named after the model), and returns the path unopened.</summary>
    public static string RepackedPath(string model, TempDirectory temp, Action<JsonObject> edit, IReadOnlyList<string>? files = null, string? output = null)
    {
        JsonObject spec = JsonNode.Parse(File.ReadAllText(ShippedModels.File(model, "manifest-spec.json")))!.AsObject();
        edit(spec);
        using System.Security.Cryptography.ECDsa key = BundleSigningKey.LoadPem(Fixtures.DevPrivateKey);
        output ??= temp.File(model);
        BundlePacker.Pack(ShippedModels.Onnx(model), System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString()), "spec.json", key, output, files, new FixedClock(TestBundles.Created));
        return output;
    }

    public static JsonObject Guards(JsonObject spec) => (JsonObject)spec["preprocessing"]!["guards"]!;
}

/// <summary>shapes-dgcnn's reference.npz: raw clouds and the PyTorch logits and embeddings of their preprocessed form.</summary>
internal sealed class ShapesReference
{
    private static readonly Lazy<ShapesReference> Loaded = new(() => new ShapesReference());

    private ShapesReference()
    {
        Dictionary<string, NpyArray> r = ShippedModels.ReadNpz(ShippedModels.File(ShippedModels.Shapes, "reference.npz"), "raw_pos", "logits", "embedding");
        Samples = r["raw_pos"].Shape[0];
        Points = r["raw_pos"].Shape[1];
        RawPositions = r["raw_pos"].AsSpan<float>().ToArray();
        Logits = r["logits"].AsSpan<float>().ToArray();
        Embeddings = r["embedding"].AsSpan<float>().ToArray();
        Classes = r["logits"].Shape[1];
        EmbeddingWidth = r["embedding"].Shape[1];
    }

    public static ShapesReference Instance => Loaded.Value;

    public int Samples { get; }

    public int Points { get; }

    public int Classes { get; }

    public int EmbeddingWidth { get; }

    public float[] RawPositions { get; }

    public float[] Logits { get; }

    public float[] Embeddings { get; }

    /// <summary>A fresh copy of sample <paramref name="s"/>'s raw positions.</summary>
    public float[] Cloud(int s) => RawPositions.AsSpan(s * Points * 3, Points * 3).ToArray();

    public ReadOnlySpan<float> LogitsOf(int s) => Logits.AsSpan(s * Classes, Classes);

    public ReadOnlySpan<float> EmbeddingOf(int s) => Embeddings.AsSpan(s * EmbeddingWidth, EmbeddingWidth);
}
