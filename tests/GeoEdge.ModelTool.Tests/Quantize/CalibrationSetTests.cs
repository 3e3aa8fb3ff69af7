using GeoEdge.Geometry.IO;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Optimize;
using GeoEdge.ModelTool.Quantize;

namespace GeoEdge.ModelTool.Tests.Quantize;

/// <summary>Calibration samples from .npz files: model inputs split along axis 0, or raw clouds run through shapes-dgcnn's preprocessing.</summary>
[Trait("Category", "Integration")]
public sealed class CalibrationSetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Raw_clouds_get_the_manifest_preprocessing_of_the_reference_inputs()
    {
        // reference.npz holds raw_pos and the pos/knn the training recipe made from it (NormalizeScale, kNN k = 16).
        IReadOnlyDictionary<string, NpyArray> reference = NpzFile.Read(Fixtures.Path("shapes-dgcnn", "reference.npz"));
        string raw = _temp.File("raw.npz");
        NpzFile.Write(raw, [new("pos", reference["raw_pos"]), new("label", reference["label"])]);
        ModelProto model = OnnxModel.Load(Fixtures.Path("shapes-dgcnn", "model.onnx")).Proto;

        List<ProofTensor[]> samples = CalibrationSet.Load(raw, model, 3, "label", out long[]? labels);

        Assert.Equal(3, samples.Count);
        Assert.Equal(reference["label"].AsSpan<long>().ToArray(), labels);
        for (int s = 0; s < 3; s++)
        {
            Assert.Equal(["pos", "knn"], samples[s].Select(t => t.Name));
            Assert.Equal([1L, 1024, 16], samples[s][1].Shape);
            Assert.Equal(reference["knn"].AsSpan<long>().Slice(s * 1024 * 16, 1024 * 16).ToArray(), samples[s][1].Longs);
            float[] pos = reference["pos"].AsSpan<float>().Slice(s * 1024 * 3, 1024 * 3).ToArray();
            Assert.Equal(pos, samples[s][0].Floats!, (a, b) => Math.Abs(a - b) <= 1e-6f);
        }
    }

    [Fact]
    public void A_missing_input_array_names_the_input()
    {
        string empty = _temp.File("empty.npz");
        NpzFile.Write(empty, [new("other", NpyArray.FromFloat32([1f], 1))]);
        ModelProto model = OnnxModel.Load(Fixtures.Path("sensor-stgnn", "model.onnx")).Proto;

        FormatException e = Assert.Throws<FormatException>(() => CalibrationSet.Load(empty, model, 10));

        Assert.Equal($"{empty}: no array 'x' for the model input of that name", e.Message);
    }
}
