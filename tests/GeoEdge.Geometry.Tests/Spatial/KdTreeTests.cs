using GeoEdge.Geometry.Spatial;
using GeoEdge.Geometry.Tests.Graphs;

namespace GeoEdge.Geometry.Tests.Spatial;

[Trait("Category", "Unit")]
public sealed class KdTreeTests
{
    [Theory]
    [InlineData("uniform", 5000)]
    [InlineData("all-same", 3000)]
    [InlineData("collinear", 2000)]
    [InlineData("planar", 2000)]
    public void Every_node_bounds_its_points_and_leaves_partition_the_cloud(string kind, int n)
    {
        PointCloud cloud = kind switch
        {
            "uniform" => NeighbourClouds.Uniform(n, 1),
            "all-same" => NeighbourClouds.AllSame(n),
            "collinear" => NeighbourClouds.Collinear(n, 2),
            _ => NeighbourClouds.Planar(n, 3),
        };

        KdTree tree = KdTree.Build(cloud.Positions, maxDegreeOfParallelism: 2);

        Assert.Equal(KdTree.NodeCount(n), tree.Nodes.Length);
        var seen = new bool[n];
        int depth = Check(tree, cloud, 0, seen, 0);
        Assert.All(seen, Assert.True);

        // Median splits keep even a cloud of one repeated point balanced.
        Assert.True(depth <= Math.Ceiling(Math.Log2(n / (double)KdTree.LeafSize)) + 1, $"depth {depth}");
    }

    private static int Check(KdTree tree, PointCloud cloud, int node, bool[] seen, int depth)
    {
        KdNode box = tree.Nodes[node];
        int minIndex = int.MaxValue;
        for (int s = box.Start; s < box.End; s++)
        {
            int i = tree.Index[s];
            Assert.Equal(cloud.Positions[i * 3], tree.X[s]);
            Assert.Equal(cloud.Positions[(i * 3) + 1], tree.Y[s]);
            Assert.Equal(cloud.Positions[(i * 3) + 2], tree.Z[s]);
            Assert.InRange(tree.X[s], box.MinX, box.MaxX);
            Assert.InRange(tree.Y[s], box.MinY, box.MaxY);
            Assert.InRange(tree.Z[s], box.MinZ, box.MaxZ);
            minIndex = Math.Min(minIndex, i);
        }

        Assert.Equal(minIndex, box.MinIndex);
        if (box.IsLeaf)
        {
            Assert.InRange(box.End - box.Start, 1, KdTree.LeafSize);
            for (int s = box.Start; s < box.End; s++)
            {
                Assert.False(seen[tree.Index[s]]);
                seen[tree.Index[s]] = true;
            }

            return depth;
        }

        KdNode left = tree.Nodes[node + 1], right = tree.Nodes[box.Right];
        Assert.Equal((box.Start, box.End), (left.Start, right.End));
        Assert.Equal(left.End, right.Start);
        return Math.Max(Check(tree, cloud, node + 1, seen, depth + 1), Check(tree, cloud, box.Right, seen, depth + 1));
    }
}
