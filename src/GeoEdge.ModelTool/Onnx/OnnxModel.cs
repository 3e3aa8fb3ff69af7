using GeoEdge.Geometry.IO;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Onnx;

/// <summary>An ONNX model read into its protobuf form (external data inlined), for inspection and graph rewrites.</summary>
/// <remarks>
/// <see cref="Load"/> reads the whole file and every external data file it names (see <see cref="OnnxExternalData"/>
/// for what is supported), so the <see cref="Proto"/> is self-contained and <see cref="Save"/> writes one file
/// with all tensors inline. Protobuf limits such a file to 2 GiB. Fields this tool does not model (sparse
/// tensors, functions, training info, fields of newer ONNX versions) are kept as unknown fields and written back.
/// </remarks>
public sealed class OnnxModel
{
    private OnnxModel(ModelProto proto, string source, long fileBytes, IReadOnlyList<string> externalFiles, long externalBytes)
    {
        Proto = proto;
        Source = source;
        FileBytes = fileBytes;
        ExternalDataFiles = externalFiles;
        ExternalDataBytes = externalBytes;
    }

    public ModelProto Proto { get; }

    /// <summary>The path (or name) the model was read from, used in error messages.</summary>
    public string Source { get; }

    /// <summary>Size of the .onnx file itself.</summary>
    public long FileBytes { get; }

    /// <summary>External data files the model named, relative to its directory, in first-use order.</summary>
    public IReadOnlyList<string> ExternalDataFiles { get; }

    /// <summary>Bytes read from <see cref="ExternalDataFiles"/> into tensors.</summary>
    public long ExternalDataBytes { get; }

    public GraphProto Graph => Proto.Graph ?? throw new OnnxFormatException(Source, "model has no graph");

    public static OnnxModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OnnxFormatException(path, "no such file");
        }

        ModelProto proto = Parse(bytes, path);
        (List<string> files, long externalBytes) = OnnxExternalData.Inline(proto, path);
        return new OnnxModel(proto, path, bytes.Length, files, externalBytes);
    }

    /// <summary>Reads a model held in memory; tensors stored as external data are left as they are.</summary>
    public static OnnxModel FromBytes(byte[] bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new OnnxModel(Parse(bytes, sourceName), sourceName, bytes.Length, [], 0);
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically: readers see the old file or the whole new one.</summary>
    public void Save(string path) => AtomicFile.Write(path, Proto.WriteTo);

    public byte[] ToByteArray() => Proto.ToByteArray();

    private static ModelProto Parse(byte[] bytes, string source)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException(source, $"not an ONNX model: {e.Message}");
        }

        // Protobuf accepts many byte strings as some message; an ONNX model has at least a version and a graph.
        if (!proto.HasIrVersion || proto.Graph is null)
        {
            throw new OnnxFormatException(source, "not an ONNX model: no ir_version or no graph");
        }

        return proto;
    }
}
