namespace GeoEdge.Geometry.IO;

/// <summary>One property of a PLY element: a scalar, or a list whose length is stored as <see cref="CountType"/>.</summary>
internal sealed record PlyProperty(string Name, ScalarType Type, ScalarType? CountType)
{
    public bool IsList => CountType is not null;
}

/// <summary>A PLY element declaration (vertex, face, ...): its name, record count and properties.</summary>
internal sealed class PlyElement(string name, long count, int headerLine)
{
    private readonly List<PlyProperty> _properties = [];

    public string Name => name;

    public long Count => count;

    /// <summary>1-based header line of the <c>element</c> declaration, for error messages.</summary>
    public int HeaderLine => headerLine;

    public IReadOnlyList<PlyProperty> Properties => _properties;

    public bool HasLists { get; private set; }

    /// <summary>Bytes a binary record takes at least (every list empty); the exact size when there are no lists.</summary>
    public int MinBinaryRecordSize { get; private set; }

    public bool Contains(string propertyName)
    {
        foreach (PlyProperty p in _properties)
        {
            if (p.Name == propertyName)
            {
                return true;
            }
        }

        return false;
    }

    public void Add(PlyProperty property)
    {
        _properties.Add(property);
        HasLists |= property.IsList;
        MinBinaryRecordSize += ScalarTypes.SizeOf(property.CountType ?? property.Type);
    }

    /// <summary>
    /// Fewest data bytes the whole element can occupy: binary records at their minimum size; an ascii
    /// record holds one token per property (a list at least its count), each token one character and
    /// one separator.
    /// </summary>
    public Int128 MinDataBytes(bool ascii) =>
        ascii ? (Int128)count * 2 * _properties.Count : (Int128)count * MinBinaryRecordSize;
}
