using System.Globalization;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Onnx;

/// <summary>Moves tensors stored as ONNX external data into raw_data, so the model in memory is self-contained.</summary>
/// <remarks>
/// Supported: external_data keys "location" (required; a relative path below the model's directory, as
/// ONNX Runtime also requires), "offset" and "length" (decimal; length defaults to the rest of the file);
/// "checksum" is ignored. Tensors are found in every graph initializer and every tensor-valued attribute,
/// subgraphs included. Sparse tensors are not modelled (their data stays where it is).
/// </remarks>
internal static class OnnxExternalData
{
    /// <summary>Inlines every external tensor of <paramref name="model"/>; returns the files read and the bytes taken from them.</summary>
    public static (List<string> Files, long Bytes) Inline(ModelProto model, string modelPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
        var files = new List<string>();
        long bytes = 0;
        foreach (TensorProto tensor in OnnxGraphWalk.Tensors(model))
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
            {
                continue;
            }

            (string location, byte[] data) = Read(tensor, directory, modelPath);
            tensor.RawData = UnsafeByteOperations.UnsafeWrap(data);
            tensor.ExternalData.Clear();
            tensor.ClearDataLocation();
            bytes += data.Length;
            if (!files.Contains(location))
            {
                files.Add(location);
            }
        }

        return (files, bytes);
    }

    private static (string Location, byte[] Data) Read(TensorProto tensor, string directory, string modelPath)
    {
        string? location = null;
        long offset = 0;
        long length = -1;
        foreach (StringStringEntryProto entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset":
                    offset = ParseCount(entry.Value, "offset", tensor, modelPath);
                    break;
                case "length":
                    length = ParseCount(entry.Value, "length", tensor, modelPath);
                    break;
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            throw Error(modelPath, tensor, "external data has no location");
        }

        string full = Path.GetFullPath(Path.Combine(directory, location));
        if (Path.IsPathRooted(location) || !full.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Error(modelPath, tensor, $"external data location '{location}' is not a relative path below the model's directory");
        }

        if (!File.Exists(full))
        {
            throw Error(modelPath, tensor, $"external data file '{location}' does not exist");
        }

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        long available = stream.Length - offset;
        if (length < 0)
        {
            length = Math.Max(0, available);
        }

        if (offset > stream.Length || length > available)
        {
            throw Error(modelPath, tensor, $"external data '{location}' holds {stream.Length} bytes, tensor wants {length} at offset {offset}");
        }

        long expected = ExpectedBytes(tensor);
        if (expected >= 0 && expected != length)
        {
            throw Error(modelPath, tensor, $"external data length {length} does not fit its shape and type ({expected} bytes)");
        }

        if (length > Array.MaxLength)
        {
            throw Error(modelPath, tensor, $"external tensor of {length} bytes is too large to load");
        }

        byte[] data = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(data);
        return (location, data);
    }

    private static long ExpectedBytes(TensorProto tensor)
    {
        int size = OnnxElementType.ByteSize(tensor.DataType);
        if (size == 0)
        {
            return -1;
        }

        long count = 1;
        foreach (long d in tensor.Dims)
        {
            count = checked(count * d);
        }

        return checked(count * size);
    }

    private static long ParseCount(string text, string key, TensorProto tensor, string modelPath) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Error(modelPath, tensor, $"external data {key} '{text}' is not a non-negative integer");

    private static OnnxFormatException Error(string modelPath, TensorProto tensor, string detail) =>
        new(modelPath, $"tensor '{tensor.Name}': {detail}");
}
