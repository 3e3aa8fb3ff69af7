namespace GeoEdge.ModelTool.Onnx;

/// <summary>A file is not a readable ONNX model, or its external data is missing or inconsistent; the message names the file.</summary>
public sealed class OnnxFormatException : FormatException
{
    public OnnxFormatException()
    {
    }

    public OnnxFormatException(string message)
        : base(message)
    {
    }

    public OnnxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxFormatException(string source, string detail)
        : base($"{source}: {detail}")
    {
    }
}
