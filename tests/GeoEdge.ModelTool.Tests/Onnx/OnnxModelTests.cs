using System.Runtime.InteropServices;
using GeoEdge.ModelTool.Onnx;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Tests.Onnx;

/// <summary>Reading and writing ONNX protobuf: field numbers match ONNX's (byte-identical round trip), unknown fields survive, external data is inlined.</summary>
[Trait("Category", "Unit")]
public sealed class OnnxModelTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Runner(string name) => Fixtures.Path("onnx", "runner", name);

    [Theory]
    [InlineData("point_mlp.onnx")]
    [InlineData("index_add.onnx")]
    [InlineData("nonzero.onnx")]
    public void Re_serializing_a_model_written_by_pytorch_or_onnx_gives_the_same_bytes(string name)
    {
        byte[] original = File.ReadAllBytes(Runner(name));

        byte[] written = OnnxModel.Load(Runner(name)).ToByteArray();

        Assert.Equal(original, written);
    }

    [Fact]
    public void Fields_read_from_a_pytorch_export_have_their_onnx_values()
    {
        OnnxModel model = OnnxModel.Load(Runner("point_mlp.onnx"));
        ModelProto p = model.Proto;

        Assert.Equal((8L, "pytorch", "1.13.0"), (p.IrVersion, p.ProducerName, p.ProducerVersion));
        Assert.Equal(("", 17L), (p.OpsetImport[0].Domain, p.OpsetImport[0].Version));
        Assert.Equal(["pos", "nbr"], model.Graph.Input.Select(i => i.Name));
        Assert.Equal("num_points", model.Graph.Input[1].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(3L, model.Graph.Input[1].Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal((int)TensorProto.Types.DataType.Int64, model.Graph.Input[1].Type.TensorType.ElemType);
        TensorProto head = model.Graph.Initializer.Single(t => t.Name == "head.weight");
        Assert.Equal([2L, 8], head.Dims);
        Assert.Equal(2 * 8 * sizeof(float), head.RawData.Length);
        NodeProto reduce = model.Graph.Node.Single(n => n.OpType == "ReduceMax");
        Assert.Equal([1L], reduce.Attribute.Single(a => a.Name == "axes").Ints);
        Assert.Equal(AttributeProto.Types.AttributeType.Ints, reduce.Attribute.Single(a => a.Name == "axes").Type);
        Assert.Equal(model.FileBytes, new FileInfo(Runner("point_mlp.onnx")).Length);
    }

    [Fact]
    public void Fields_this_proto_does_not_model_are_written_back_unchanged()
    {
        // ModelProto.functions (25) at the top and NodeProto.metadata_props (9, ONNX 1.16+) inside a node.
        byte[] functions = [0xCA, 0x01, 0x03, (byte)'f', (byte)'o', (byte)'o'];
        byte[] nodeMetadata = [0x4A, 0x04, 0x0A, 0x02, (byte)'k', (byte)'v'];
        ModelProto proto = OnnxModel.Load(Runner("nonzero.onnx")).Proto;
        proto.Graph.Node[0] = NodeProto.Parser.ParseFrom([.. proto.Graph.Node[0].ToByteArray(), .. nodeMetadata]);
        byte[] withUnknown = [.. proto.ToByteArray(), .. functions];
        string path = _temp.File("unknown.onnx");
        File.WriteAllBytes(path, withUnknown);

        OnnxModel loaded = OnnxModel.Load(path);
        loaded.Save(_temp.File("saved.onnx"));

        Assert.Equal(withUnknown, File.ReadAllBytes(_temp.File("saved.onnx")));
        Assert.EndsWith(Convert.ToHexString(nodeMetadata), Convert.ToHexString(loaded.Graph.Node[0].ToByteArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void External_data_is_read_into_raw_data_relative_to_the_model()
    {
        OnnxModel model = OnnxModel.Load(Runner("linear_ext.onnx"));

        TensorProto w = model.Graph.Initializer.Single(t => t.Name == "W");
        TensorProto b = model.Graph.Initializer.Single(t => t.Name == "b");
        Assert.Equal([1f, 0, -1, 2, 1, 0, 0, 3, 1, -2, 1, 2], MemoryMarshal.Cast<byte, float>(w.RawData.Span).ToArray());
        Assert.Equal([0.5f, -1, 2], MemoryMarshal.Cast<byte, float>(b.RawData.Span).ToArray());
        Assert.Empty(w.ExternalData);
        Assert.False(w.HasDataLocation);
        Assert.Equal(["linear_ext.weights"], model.ExternalDataFiles);
        Assert.Equal((276L, 60L), (model.FileBytes, model.ExternalDataBytes));
    }

    [Fact]
    public void Save_writes_a_self_contained_model_atomically()
    {
        string path = _temp.File("linear.onnx");
        File.WriteAllText(path, "old");

        OnnxModel.Load(Runner("linear_ext.onnx")).Save(path);

        OnnxModel saved = OnnxModel.Load(path);
        Assert.Empty(saved.ExternalDataFiles);
        Assert.Equal(48, saved.Graph.Initializer.Single(t => t.Name == "W").RawData.Length);
        Assert.Equal(["linear.onnx"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void From_bytes_reads_a_model_held_in_memory()
    {
        OnnxModel model = OnnxModel.FromBytes(File.ReadAllBytes(Runner("nonzero.onnx")), "nonzero");

        Assert.Equal(["Greater", "NonZero"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal("nonzero", model.Source);
    }
}
