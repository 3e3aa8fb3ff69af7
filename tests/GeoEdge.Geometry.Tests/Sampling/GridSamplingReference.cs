using System.Buffers.Binary;
using System.Numerics;
using GeoEdge.Geometry;

namespace GeoEdge.Geometry.Tests.Sampling;

/// <summary>Grid sampling by the book: a dictionary from (x, y, z, example) voxel to the points in it, no linear key, no sort.</summary>
internal static class GridSamplingReference
{
    public static PointCloud Apply(PointCloud cloud, Vector3 size)
    {
        float[] p = cloud.Positions;
        var finite = Enumerable.Range(0, cloud.Count).Where(cloud.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return new PointCloud([], 0, 1, cloud.Attributes.Select(a => new AttributeChannel(a.Name, a.Type, a.Count, 0)), cloud.Batch is null ? null : []);
        }

        float minX = finite.Min(i => p[3 * i]), minY = finite.Min(i => p[(3 * i) + 1]), minZ = finite.Min(i => p[(3 * i) + 2]);
        var voxels = new Dictionary<(long X, long Y, long Z, long B), List<int>>();
        foreach (int i in finite)
        {
            var key = (
                (long)((p[3 * i] - minX) / size.X),
                (long)((p[(3 * i) + 1] - minY) / size.Y),
                (long)((p[(3 * i) + 2] - minZ) / size.Z),
                cloud.Batch?[i] ?? 0);
            if (!voxels.TryGetValue(key, out List<int>? members))
            {
                voxels[key] = members = [];
            }

            members.Add(i);
        }

        // PCL and PyG order: example, then z, then y, then x (x fastest).
        var ordered = voxels.OrderBy(v => v.Key.B).ThenBy(v => v.Key.Z).ThenBy(v => v.Key.Y).ThenBy(v => v.Key.X).Select(v => v.Value).ToList();
        var positions = new float[ordered.Count * 3];
        for (int v = 0; v < ordered.Count; v++)
        {
            for (int axis = 0; axis < 3; axis++)
            {
                double sum = 0;
                foreach (int i in ordered[v])
                {
                    sum += p[(3 * i) + axis];
                }

                positions[(3 * v) + axis] = (float)(sum / ordered[v].Count);
            }
        }

        long[]? batch = cloud.Batch is null ? null : ordered.Select(m => cloud.Batch[m[0]]).ToArray();
        var attributes = cloud.Attributes.Select(a => Reduce(a, ordered)).ToList();
        return new PointCloud(positions, ordered.Count, 1, attributes, batch);
    }

    private static AttributeChannel Reduce(AttributeChannel source, List<List<int>> voxels)
    {
        var result = new AttributeChannel(source.Name, source.Type, source.Count, voxels.Count);
        for (int v = 0; v < voxels.Count; v++)
        {
            for (int c = 0; c < source.Count; c++)
            {
                List<int> members = voxels[v];
                if (source.Name is "rgb" or "rgba" && source.Count == 1 && source.Type is ScalarType.Float32 or ScalarType.UInt32 or ScalarType.Int32)
                {
                    uint packed = 0;
                    for (int shift = 0; shift < 32; shift += 8)
                    {
                        long channelSum = members.Sum(i => (long)((BinaryPrimitives.ReadUInt32LittleEndian(source.Bytes.Slice(i * 4, 4)) >> shift) & 0xFF));
                        packed |= (uint)(channelSum / members.Count) << shift;
                    }

                    BinaryPrimitives.WriteUInt32LittleEndian(result.Bytes.Slice(v * 4, 4), packed);
                }
                else if (ScalarTypes.IsFloatingPoint(source.Type))
                {
                    double sum = 0;
                    foreach (int i in members)
                    {
                        sum += source.GetDouble(i, c);
                    }

                    result.SetDouble(v, c, sum / members.Count);
                }
                else if (source.Name == "label" && source.Count == 1)
                {
                    // Most frequent; among equals the smaller label.
                    result.SetDouble(v, c, members.GroupBy(i => (long)source.GetDouble(i)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key);
                }
                else
                {
                    // Exact for the values used in tests (|sum| < 2^53); halves round away from zero.
                    double mean = members.Sum(i => source.GetDouble(i, c)) / members.Count;
                    result.SetDouble(v, c, Math.Round(mean, MidpointRounding.AwayFromZero));
                }
            }
        }

        return result;
    }
}
