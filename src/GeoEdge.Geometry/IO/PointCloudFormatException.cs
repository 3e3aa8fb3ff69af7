using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace GeoEdge.Geometry.IO;

/// <summary>A point-cloud file is malformed; names the file and the byte offset or header line at fault.</summary>
public sealed class PointCloudFormatException : FormatException
{
    public PointCloudFormatException()
        : this("malformed point-cloud file")
    {
    }

    public PointCloudFormatException(string message)
        : base(message)
    {
        File = "<stream>";
        Detail = message;
    }

    public PointCloudFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "<stream>";
        Detail = message;
    }

    public PointCloudFormatException(string file, long? byteOffset, int? headerLine, string detail, Exception? innerException = null)
        : base(Describe(file, byteOffset, headerLine, detail), innerException)
    {
        File = file;
        ByteOffset = byteOffset;
        HeaderLine = headerLine;
        Detail = detail;
    }

    /// <summary>The file (or stream name) being read.</summary>
    public string File { get; }

    /// <summary>Byte offset of the fault from the start of the file, when known.</summary>
    public long? ByteOffset { get; }

    /// <summary>1-based header line of the fault, when the fault is in the header.</summary>
    public int? HeaderLine { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowAtOffset(string file, long byteOffset, string detail) =>
        throw new PointCloudFormatException(file, byteOffset, null, detail);

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowAtLine(string file, int headerLine, string detail) =>
        throw new PointCloudFormatException(file, null, headerLine, detail);

    private static string Describe(string file, long? byteOffset, int? headerLine, string detail)
    {
        if (headerLine is int line)
        {
            return $"{file}: header line {line}: {detail}";
        }

        return byteOffset is long offset ? $"{file}: byte {offset}: {detail}" : $"{file}: {detail}";
    }
}
