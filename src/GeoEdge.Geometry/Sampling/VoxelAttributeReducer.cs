using System.Buffers;
using System.Buffers.Binary;

namespace GeoEdge.Geometry.Sampling;

/// <summary>Reduces one attribute channel over the points of each voxel, by the rule its name and type call for.</summary>
/// <remarks>
/// Float32/Float64: component-wise mean, summed in double in input order, then rounded once to the stored
/// type. Integer types: exact mean (128-bit sum) rounded to nearest, halves away from zero. An integer
/// channel named "label" with one component: the most frequent value, ties to the smaller (PyG's one-hot
/// sum + argmax for <c>y</c>). A channel named "rgb" or "rgba" with one Float32/UInt32/Int32 component is a
/// packed 0xAARRGGBB colour: each channel averaged and truncated, as PCL's CentroidPoint accumulator does
/// (PCL's PCLPointCloud2 path writes alpha 0; here alpha is averaged like the other channels).
/// A floating-point "label" is averaged like any float channel; an integer "label" with several
/// components is averaged component-wise like any integer channel.
/// </remarks>
internal static class VoxelAttributeReducer
{
    /// <summary>Every channel of <paramref name="cloud"/> reduced per voxel.</summary>
    public static AttributeChannel[] ReduceAll(PointCloud cloud, ReadOnlySpan<int> order, ReadOnlySpan<int> runStart)
    {
        var attributes = new AttributeChannel[cloud.Attributes.Count];
        for (int a = 0; a < attributes.Length; a++)
        {
            attributes[a] = Reduce(cloud.Attributes[a], order, runStart);
        }

        return attributes;
    }

    /// <summary>A new channel with one row per voxel; voxel v holds order[runStart[v]..runStart[v + 1]).</summary>
    public static AttributeChannel Reduce(AttributeChannel channel, ReadOnlySpan<int> order, ReadOnlySpan<int> runStart)
    {
        int voxels = runStart.Length - 1;
        var output = new AttributeChannel(channel.Name, channel.Type, channel.Count, voxels);
        if (IsPackedColor(channel))
        {
            ReducePackedColor(channel.Bytes, output.Bytes, order, runStart);
        }
        else if (channel.Type == ScalarType.Float32)
        {
            ReduceFloat32(channel.AsSpan<float>(), output.AsSpan<float>(), channel.Count, order, runStart);
        }
        else if (channel.Type == ScalarType.Float64)
        {
            ReduceFloat64(channel.AsSpan<double>(), output.AsSpan<double>(), channel.Count, order, runStart);
        }
        else if (channel.Name == "label" && channel.Count == 1)
        {
            ReduceMajority(channel, output, order, runStart);
        }
        else
        {
            ReduceIntegerMean(channel, output, order, runStart);
        }

        return output;
    }

    public static bool IsPackedColor(AttributeChannel channel) =>
        channel.Name is "rgb" or "rgba"
        && channel.Count == 1
        && channel.Type is ScalarType.Float32 or ScalarType.UInt32 or ScalarType.Int32;

    /// <summary>Exact integer mean, rounded to nearest with halves away from zero.</summary>
    public static Int128 RoundedMean(Int128 sum, int count)
    {
        (Int128 quotient, Int128 remainder) = Int128.DivRem(sum, count);
        if (Int128.Abs(remainder) * 2 >= count)
        {
            quotient += Int128.Sign(sum);
        }

        return quotient;
    }

    private static void ReduceFloat32(ReadOnlySpan<float> src, Span<float> dst, int width, ReadOnlySpan<int> order, ReadOnlySpan<int> runStart)
    {
        for (int v = 0; v < runStart.Length - 1; v++)
        {
            int count = runStart[v + 1] - runStart[v];
            for (int c = 0; c < width; c++)
            {
                double sum = 0;
                for (int k = runStart[v]; k < runStart[v + 1]; k++)
                {
                    sum += src[(order[k] * width) + c];
                }

                dst[(v * width) + c] = (float)(sum / count);
            }
        }
    }

    private static void ReduceFloat64(ReadOnlySpan<double> src, Span<double> dst, int width, ReadOnlySpan<int> order, ReadOnlySpan<int> runStart)
    {
        for (int v = 0; v < runStart.Length - 1; v++)
        {
            int count = runStart[v + 1] - runStart[v];
            for (int c = 0; c < width; c++)
            {
                double sum = 0;
                for (int k = runStart[v]; k < runStart[v + 1]; k++)
                {
                    sum += src[(order[k] * width) + c];
                }

                dst[(v * width) + c] = sum / count;
            }
        }
    }

    private static void ReduceIntegerMean(AttributeChannel src, AttributeChannel dst, ReadOnlySpan<int> order, ReadOnlySpan<int> runStart)
    {
        int width = src.Count;
        for (int v = 0; v < runStart.Length - 1; v++)
        {
            int count = runStart[v + 1] - runStart[v];
            for (int c = 0; c < width; c++)
            {
                Int128 sum = 0;
                for (int k = runStart[v]; k < runStart[v + 1]; k++)
                {
                    sum += IntegerElements.Read(src, (order[k] * width) + c);
                }

                IntegerElements.Write(dst, (v * width) + c, RoundedMean(sum, count));
            }
        }
    }

    private static void ReduceMajority(AttributeChannel src, AttributeChannel dst, ReadOnlySpan<int> order, ReadOnlySpan<int> runStart)
    {
        Int128[] scratch = ArrayPool<Int128>.Shared.Rent(16);
        try
        {
            for (int v = 0; v < runStart.Length - 1; v++)
            {
                int count = runStart[v + 1] - runStart[v];
                if (scratch.Length < count)
                {
                    ArrayPool<Int128>.Shared.Return(scratch);
                    scratch = ArrayPool<Int128>.Shared.Rent(count);
                }

                Span<Int128> labels = scratch.AsSpan(0, count);
                for (int k = 0; k < count; k++)
                {
                    labels[k] = IntegerElements.Read(src, order[runStart[v] + k]);
                }

                IntegerElements.Write(dst, v, Mode(labels));
            }
        }
        finally
        {
            ArrayPool<Int128>.Shared.Return(scratch);
        }
    }

    /// <summary>The most frequent value; among equally frequent values the smallest (sorted ascending, first longest run).</summary>
    private static Int128 Mode(Span<Int128> labels)
    {
        labels.Sort();
        Int128 best = labels[0];
        int bestRun = 0;
        for (int i = 0; i < labels.Length;)
        {
            int j = i + 1;
            while (j < labels.Length && labels[j] == labels[i])
            {
                j++;
            }

            if (j - i > bestRun)
            {
                bestRun = j - i;
                best = labels[i];
            }

            i = j;
        }

        return best;
    }

    private static void ReducePackedColor(ReadOnlySpan<byte> src, Span<byte> dst, ReadOnlySpan<int> order, ReadOnlySpan<int> runStart)
    {
        for (int v = 0; v < runStart.Length - 1; v++)
        {
            int count = runStart[v + 1] - runStart[v];
            long b = 0, g = 0, r = 0, a = 0;
            for (int k = runStart[v]; k < runStart[v + 1]; k++)
            {
                uint packed = BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(order[k] * 4, 4));
                b += packed & 0xFF;
                g += (packed >> 8) & 0xFF;
                r += (packed >> 16) & 0xFF;
                a += packed >> 24;
            }

            uint mean = (uint)(b / count) | ((uint)(g / count) << 8) | ((uint)(r / count) << 16) | ((uint)(a / count) << 24);
            BinaryPrimitives.WriteUInt32LittleEndian(dst.Slice(v * 4, 4), mean);
        }
    }
}
