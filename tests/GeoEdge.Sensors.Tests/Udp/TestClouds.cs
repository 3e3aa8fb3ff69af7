using System.Buffers.Binary;
using GeoEdge.Geometry;

namespace GeoEdge.Sensors.Tests.Udp;

/// <summary>Clouds whose coordinates encode their point index, so a misplaced point shows.</summary>
internal static class TestClouds
{
    public static PointCloud Indexed(int points, bool intensity = false)
    {
        var positions = new float[points * 3];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = i * 0.5f;
        }

        if (!intensity)
        {
            return new PointCloud(positions);
        }

        var bytes = new byte[points * 4];
        for (int i = 0; i < points; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), 1000f + i);
        }

        return new PointCloud(positions, points, 1, [new AttributeChannel("intensity", ScalarType.Float32, 1, points, bytes)]);
    }
}
