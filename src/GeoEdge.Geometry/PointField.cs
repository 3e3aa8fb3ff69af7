namespace GeoEdge.Geometry;

/// <summary>A named field of a point as a file declares it: name, element type and element count.</summary>
/// <param name="Name">Field name as written in the file (x, intensity, rgb, normal_x, ...).</param>
/// <param name="Type">Element type.</param>
/// <param name="Count">Elements per point (PCD COUNT; 1 for PLY scalar properties).</param>
public readonly record struct PointField(string Name, ScalarType Type, int Count = 1)
{
    public int SizeInBytes => ScalarTypes.SizeOf(Type) * Count;

    public override string ToString() => Count == 1
        ? $"{Name}:{ScalarTypes.ShortName(Type)}"
        : $"{Name}:{ScalarTypes.ShortName(Type)}x{Count}";
}
