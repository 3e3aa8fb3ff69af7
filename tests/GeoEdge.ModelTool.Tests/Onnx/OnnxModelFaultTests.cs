using GeoEdge.ModelTool.Onnx;

namespace GeoEdge.ModelTool.Tests.Onnx;

/// <summary>Files that are not ONNX models and external data that is missing, misplaced or short give one OnnxFormatException naming the file.</summary>
[Trait("Category", "Fault")]
public sealed class OnnxModelFaultTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Runner(string name) => Fixtures.Path("onnx", "runner", name);

    [Fact]
    public void A_npy_file_is_not_an_onnx_model()
    {
        var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(Runner("point_mlp.pos.npy")));

        Assert.StartsWith($"{Runner("point_mlp.pos.npy")}: not an ONNX model: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(_temp.File("none.onnx")));

        Assert.Equal($"{_temp.File("none.onnx")}: no such file", error.Message);
    }

    [Fact]
    public void A_missing_external_data_file_names_the_tensor_and_file()
    {
        string model = _temp.File("linear_ext.onnx");
        File.Copy(Runner("linear_ext.onnx"), model);

        var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(model));

        Assert.Equal($"{model}: tensor 'W': external data file 'linear_ext.weights' does not exist", error.Message);
    }

    [Fact]
    public void Short_external_data_is_refused()
    {
        string model = _temp.File("linear_ext.onnx");
        File.Copy(Runner("linear_ext.onnx"), model);
        File.WriteAllBytes(_temp.File("linear_ext.weights"), File.ReadAllBytes(Runner("linear_ext.weights"))[..50]);

        var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(model));

        Assert.Equal($"{model}: tensor 'b': external data 'linear_ext.weights' holds 50 bytes, tensor wants 12 at offset 48", error.Message);
    }

    [Theory]
    [InlineData("../linear_ext.weights")]
    [InlineData("/etc/passwd")]
    public void External_data_outside_the_model_directory_is_refused(string location)
    {
        Directory.CreateDirectory(_temp.File("m"));
        File.Copy(Runner("linear_ext.weights"), _temp.File("linear_ext.weights"));
        OnnxModel original = OnnxModel.FromBytes(File.ReadAllBytes(Runner("linear_ext.onnx")), "linear_ext");
        original.Graph.Initializer[0].ExternalData.Single(e => e.Key == "location").Value = location;
        string model = _temp.File("m/linear_ext.onnx");
        original.Save(model);

        var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(model));

        Assert.Equal($"{model}: tensor 'W': external data location '{location}' is not a relative path below the model's directory", error.Message);
    }

    [Fact]
    public void An_external_length_that_does_not_fit_the_shape_is_refused()
    {
        File.Copy(Runner("linear_ext.weights"), _temp.File("linear_ext.weights"));
        OnnxModel original = OnnxModel.FromBytes(File.ReadAllBytes(Runner("linear_ext.onnx")), "linear_ext");
        original.Graph.Initializer[1].ExternalData.Single(e => e.Key == "length").Value = "8";
        string model = _temp.File("linear_ext.onnx");
        original.Save(model);

        var error = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(model));

        Assert.Equal($"{model}: tensor 'b': external data length 8 does not fit its shape and type (12 bytes)", error.Message);
    }
}
