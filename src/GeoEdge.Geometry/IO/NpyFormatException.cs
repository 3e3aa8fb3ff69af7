namespace GeoEdge.Geometry.IO;

/// <summary>A .npy file is malformed or holds something unsupported; names the file and byte offset.</summary>
public sealed class NpyFormatException : FormatException
{
    public NpyFormatException()
    {
    }

    public NpyFormatException(string message)
        : base(message)
    {
    }

    public NpyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NpyFormatException(string file, long byteOffset, string detail)
        : base($"{file}: byte {byteOffset}: {detail}")
    {
        File = file;
        ByteOffset = byteOffset;
    }

    public string? File { get; }

    public long? ByteOffset { get; }
}
