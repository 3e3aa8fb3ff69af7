namespace GeoEdge.Geometry;

/// <summary>A set of 3-D points: one contiguous row-major [N,3] float buffer plus named attribute channels.</summary>
/// <remarks>
/// The positions buffer is handed to a model as an [N,3] tensor without copying, so it is exactly
/// <c>3 * Count</c> floats. It belongs to this cloud: operations return new clouds and never write to
/// their input. Organized clouds (<see cref="Height"/> &gt; 1) keep NaN points in place until
/// <see cref="RemoveNonFinite"/> is asked for. A batched cloud carries a non-decreasing
/// <see cref="Batch"/> vector (PyTorch Geometric's <c>batch</c>) naming the example each point belongs to.
/// </remarks>
public sealed class PointCloud
{
    private readonly AttributeChannel[] _attributes;

    /// <summary>Creates an unorganized cloud over <paramref name="positions"/> (taken, not copied).</summary>
    public PointCloud(float[] positions)
        : this(positions, positions.Length / 3, 1)
    {
    }

    /// <summary>Creates a cloud over <paramref name="positions"/> and <paramref name="attributes"/> (taken, not copied).</summary>
    public PointCloud(
        float[] positions,
        int width,
        int height,
        IEnumerable<AttributeChannel>? attributes = null,
        long[]? batch = null,
        Viewpoint? viewpoint = null)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Length % 3 != 0)
        {
            throw new ArgumentException($"positions length {positions.Length} is not a multiple of 3", nameof(positions));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int count = positions.Length / 3;
        if ((long)width * height != count)
        {
            throw new ArgumentException($"width {width} x height {height} != {count} points", nameof(width));
        }

        Positions = positions;
        Width = width;
        Height = height;
        _attributes = attributes is null ? [] : [.. attributes];
        ValidateAttributes(_attributes, count);

        if (batch is not null)
        {
            ValidateBatch(batch, count);
        }

        Batch = batch;
        Viewpoint = viewpoint ?? Viewpoint.Identity;
    }

    /// <summary>Row-major [N,3] positions: x0,y0,z0,x1,... Exactly <c>3 * Count</c> floats.</summary>
    public float[] Positions { get; }

    public int Count => Positions.Length / 3;

    /// <summary>Points per row; equals <see cref="Count"/> for unorganized clouds.</summary>
    public int Width { get; }

    /// <summary>Rows; 1 for unorganized clouds.</summary>
    public int Height { get; }

    public bool IsOrganized => Height > 1;

    public IReadOnlyList<AttributeChannel> Attributes => _attributes;

    /// <summary>Example index of each point (int64, non-decreasing), or null for a single example.</summary>
    public long[]? Batch { get; }

    /// <summary>Number of examples: 1 + last batch index, or 1 when unbatched (0 when empty).</summary>
    public int BatchCount => Count == 0 ? 0 : Batch is null ? 1 : (int)Batch[^1] + 1;

    public Viewpoint Viewpoint { get; }

    public AttributeChannel? FindAttribute(string name)
    {
        foreach (AttributeChannel channel in _attributes)
        {
            if (channel.Name == name)
            {
                return channel;
            }
        }

        return null;
    }

    /// <summary>True when x, y and z of point <paramref name="index"/> are all finite.</summary>
    public bool IsFinite(int index)
    {
        int o = index * 3;
        return float.IsFinite(Positions[o]) && float.IsFinite(Positions[o + 1]) && float.IsFinite(Positions[o + 2]);
    }

    public int CountFinite()
    {
        int finite = 0;
        for (int i = 0; i < Count; i++)
        {
            if (IsFinite(i))
            {
                finite++;
            }
        }

        return finite;
    }

    /// <summary>A new unorganized cloud without the points whose x, y or z is NaN or infinite.</summary>
    public PointCloud RemoveNonFinite()
    {
        var keep = new List<int>(Count);
        for (int i = 0; i < Count; i++)
        {
            if (IsFinite(i))
            {
                keep.Add(i);
            }
        }

        return Select(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keep));
    }

    /// <summary>A new unorganized cloud of the points named by <paramref name="indices"/>, in that order, with their attributes and batch.</summary>
    public PointCloud Select(ReadOnlySpan<int> indices)
    {
        float[] positions = new float[indices.Length * 3];
        long[]? batch = Batch is null ? null : new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int src = indices[i];
            if ((uint)src >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {src} is outside [0, {Count})");
            }

            positions[i * 3] = Positions[src * 3];
            positions[(i * 3) + 1] = Positions[(src * 3) + 1];
            positions[(i * 3) + 2] = Positions[(src * 3) + 2];
            if (batch is not null)
            {
                batch[i] = Batch![src];
            }
        }

        var attributes = new AttributeChannel[_attributes.Length];
        for (int a = 0; a < attributes.Length; a++)
        {
            attributes[a] = _attributes[a].Select(indices);
        }

        if (batch is not null && !IsNonDecreasing(batch))
        {
            throw new ArgumentException("selecting these indices would break the batch order", nameof(indices));
        }

        return new PointCloud(positions, indices.Length, 1, attributes, batch, Viewpoint);
    }

    /// <summary>A new cloud with the same points and attributes and the given positions (used by transforms).</summary>
    public PointCloud WithPositions(float[] positions)
    {
        if (positions.Length != Positions.Length)
        {
            throw new ArgumentException($"expected {Positions.Length} floats, got {positions.Length}", nameof(positions));
        }

        return new PointCloud(positions, Width, Height, CloneAttributes(), Batch is null ? null : (long[])Batch.Clone(), Viewpoint);
    }

    /// <summary>A deep copy.</summary>
    public PointCloud Clone() => WithPositions((float[])Positions.Clone());

    /// <summary>Joins clouds into one batched cloud; example i of the result is <paramref name="clouds"/>[i].</summary>
    /// <remarks>Attributes are kept when every cloud has a channel of the same name, type and count.</remarks>
    public static PointCloud Batched(IReadOnlyList<PointCloud> clouds)
    {
        ArgumentNullException.ThrowIfNull(clouds);
        int total = 0;
        foreach (PointCloud c in clouds)
        {
            if (c.Batch is not null)
            {
                throw new ArgumentException("clouds to batch must not be batched themselves", nameof(clouds));
            }

            total += c.Count;
        }

        float[] positions = new float[total * 3];
        long[] batch = new long[total];
        int offset = 0;
        for (int b = 0; b < clouds.Count; b++)
        {
            clouds[b].Positions.CopyTo(positions, offset * 3);
            batch.AsSpan(offset, clouds[b].Count).Fill(b);
            offset += clouds[b].Count;
        }

        var attributes = new List<AttributeChannel>();
        if (clouds.Count > 0)
        {
            foreach (AttributeChannel first in clouds[0].Attributes)
            {
                var merged = new AttributeChannel(first.Name, first.Type, first.Count, total);
                int byteOffset = 0;
                bool everywhere = true;
                foreach (PointCloud c in clouds)
                {
                    AttributeChannel? other = c.FindAttribute(first.Name);
                    if (other is null || other.Field != first.Field)
                    {
                        everywhere = false;
                        break;
                    }

                    other.Bytes.CopyTo(merged.Bytes[byteOffset..]);
                    byteOffset += other.Bytes.Length;
                }

                if (everywhere)
                {
                    attributes.Add(merged);
                }
            }
        }

        return new PointCloud(positions, total, 1, attributes, batch);
    }

    /// <summary>The half-open point range [start, end) of example <paramref name="example"/>.</summary>
    public (int Start, int End) BatchRange(int example)
    {
        if (Batch is null)
        {
            return example == 0 ? (0, Count) : (0, 0);
        }

        int start = LowerBound(Batch, example);
        int end = LowerBound(Batch, example + 1L);
        return (start, end);
    }

    private AttributeChannel[] CloneAttributes()
    {
        var copy = new AttributeChannel[_attributes.Length];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = _attributes[i].Clone();
        }

        return copy;
    }

    private static int LowerBound(long[] sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static bool IsNonDecreasing(long[] batch)
    {
        for (int i = 1; i < batch.Length; i++)
        {
            if (batch[i] < batch[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    // Clouds are made per inference on the hot path; a cloud without attributes must not allocate here.
    private static void ValidateAttributes(AttributeChannel[] attributes, int count)
    {
        for (int a = 0; a < attributes.Length; a++)
        {
            AttributeChannel channel = attributes[a];
            if (channel.PointCount != count)
            {
                throw new ArgumentException($"attribute '{channel.Name}' has {channel.PointCount} points, cloud has {count}", nameof(attributes));
            }

            bool duplicate = false;
            for (int b = 0; b < a; b++)
            {
                duplicate |= attributes[b].Name == channel.Name;
            }

            if (duplicate || channel.Name is "x" or "y" or "z")
            {
                throw new ArgumentException($"attribute name '{channel.Name}' is duplicated or reserved", nameof(attributes));
            }
        }
    }

    private static void ValidateBatch(long[] batch, int count)
    {
        if (batch.Length != count)
        {
            throw new ArgumentException($"batch has {batch.Length} entries, cloud has {count} points", nameof(batch));
        }

        if (count > 0 && batch[0] < 0)
        {
            throw new ArgumentException("batch indices must be non-negative", nameof(batch));
        }

        if (!IsNonDecreasing(batch))
        {
            throw new ArgumentException("batch vector must be non-decreasing (points grouped by example)", nameof(batch));
        }
    }
}
