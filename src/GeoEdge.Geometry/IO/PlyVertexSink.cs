namespace GeoEdge.Geometry.IO;

/// <summary>Where each vertex property goes: a position component, an attribute channel, or nowhere (lists).</summary>
/// <remarks>
/// Targets: 0, 1, 2 are x, y, z; <see cref="ChannelBase"/> + i is channel i; <see cref="Skip"/> drops the
/// property. Buffers are allocated uninitialized because the decoders write every element before the
/// cloud is handed out, and a failed read throws the buffers away.
/// </remarks>
internal sealed class PlyVertexSink
{
    public const int Skip = -1;
    public const int ChannelBase = 3;

    private PlyVertexSink(PlyElement element, int[] targets, float[] positions, AttributeChannel[] channels, PointField[] fields)
    {
        Element = element;
        Targets = targets;
        Positions = positions;
        Channels = channels;
        Fields = fields;
    }

    public PlyElement Element { get; }

    /// <summary>Target of each property of <see cref="Element"/>, in declaration order.</summary>
    public int[] Targets { get; }

    public float[] Positions { get; }

    public AttributeChannel[] Channels { get; }

    /// <summary>The scalar properties in file order, x, y, z included; list properties are not fields.</summary>
    public PointField[] Fields { get; }

    public int Count => (int)Element.Count;

    /// <summary>Maps <paramref name="vertex"/>; the header has already checked that its count fits the file.</summary>
    public static PlyVertexSink Create(PlyElement vertex, string source)
    {
        CheckShape(vertex, source);
        int count = (int)vertex.Count;
        int[] targets = new int[vertex.Properties.Count];
        var channels = new List<AttributeChannel>();
        var fields = new List<PointField>();
        for (int i = 0; i < targets.Length; i++)
        {
            PlyProperty p = vertex.Properties[i];
            if (p.IsList)
            {
                targets[i] = Skip;
                continue;
            }

            fields.Add(new PointField(p.Name, p.Type));
            targets[i] = p.Name switch { "x" => 0, "y" => 1, "z" => 2, _ => ChannelBase + channels.Count };
            if (targets[i] >= ChannelBase)
            {
                long bytes = (long)count * ScalarTypes.SizeOf(p.Type);
                if (bytes > Array.MaxLength)
                {
                    PointCloudFormatException.ThrowAtLine(source, vertex.HeaderLine, $"property '{p.Name}' of {count} vertices is more than one channel can hold");
                }

                channels.Add(new AttributeChannel(p.Name, p.Type, 1, count, GC.AllocateUninitializedArray<byte>((int)bytes)));
            }
        }

        return new PlyVertexSink(vertex, targets, GC.AllocateUninitializedArray<float>(count * 3), [.. channels], [.. fields]);
    }

    /// <summary>x, y and z present as scalars and a count that fits one cloud, checked before anything is allocated.</summary>
    private static void CheckShape(PlyElement vertex, string source)
    {
        if (vertex.Count > Array.MaxLength / 3)
        {
            PointCloudFormatException.ThrowAtLine(source, vertex.HeaderLine, $"{vertex.Count} vertices are more than one cloud can hold");
        }

        int axes = 0;
        foreach (PlyProperty p in vertex.Properties)
        {
            if (p.Name is "x" or "y" or "z")
            {
                if (p.IsList)
                {
                    PointCloudFormatException.ThrowAtLine(source, vertex.HeaderLine, $"vertex property '{p.Name}' is a list, not a scalar");
                }

                axes++;
            }
        }

        // Names are unique within an element, so three hits are x, y and z.
        if (axes != 3)
        {
            PointCloudFormatException.ThrowAtLine(source, vertex.HeaderLine, "vertex element lacks one of the properties x, y, z");
        }
    }

    /// <summary>The cloud over the filled buffers; organized when PCL's num_cols x num_rows matches the count.</summary>
    public PointCloud ToCloud(int? columns, int? rows)
    {
        int width = Count, height = 1;
        if (columns is int w && rows is int h && h > 1 && (long)w * h == Count)
        {
            width = w;
            height = h;
        }

        return new PointCloud(Positions, width, height, Channels);
    }
}
