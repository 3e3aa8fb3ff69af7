namespace GeoEdge.Geometry.IO;

/// <summary>What a PCD header declares, validated, with the record layout derived from it.</summary>
internal sealed class PcdHeader
{
    /// <summary>Refuse points bigger than this: no real PCD field set comes near it, and it bounds every size computed from COUNT.</summary>
    public const int MaxPointSize = 1 << 20;

    /// <summary>The name PCL gives padding fields; they hold no data worth keeping.</summary>
    public const string PaddingName = "_";

    public PcdHeader(
        PointField[] fields,
        int width,
        int height,
        Viewpoint viewpoint,
        string version,
        PointCloudEncoding encoding,
        long dataOffset)
    {
        Fields = fields;
        Width = width;
        Height = height;
        Viewpoint = viewpoint;
        Version = version;
        Encoding = encoding;
        DataOffset = dataOffset;
        Offsets = new int[fields.Length];
        int offset = 0;
        int packed = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            Offsets[i] = offset;
            offset += fields[i].SizeInBytes;
            if (!IsPadding(i))
            {
                packed += fields[i].SizeInBytes;
            }
        }

        PointSize = offset;
        PackedPointSize = packed;
        X = IndexOf("x");
        Y = IndexOf("y");
        Z = IndexOf("z");
    }

    /// <summary>Every declared field in file order, padding included.</summary>
    public PointField[] Fields { get; }

    /// <summary>Byte offset of each field inside a point record (binary layout).</summary>
    public int[] Offsets { get; }

    public int Width { get; }

    public int Height { get; }

    public int Points => Width * Height;

    public Viewpoint Viewpoint { get; }

    public string Version { get; }

    public PointCloudEncoding Encoding { get; }

    /// <summary>Offset of the first data byte, counted from where reading started.</summary>
    public long DataOffset { get; }

    /// <summary>Bytes per point in binary records, padding included.</summary>
    public int PointSize { get; }

    /// <summary>Bytes per point in binary_compressed planes, which leave padding out.</summary>
    public int PackedPointSize { get; }

    public int X { get; }

    public int Y { get; }

    public int Z { get; }

    public bool IsPadding(int field) => Fields[field].Name == PaddingName;

    /// <summary>True for a field that becomes an attribute channel (not x, y, z, not padding).</summary>
    public bool IsAttribute(int field) => field != X && field != Y && field != Z && !IsPadding(field);

    private int IndexOf(string name)
    {
        for (int i = 0; i < Fields.Length; i++)
        {
            if (Fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
