using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Graphs;

namespace GeoEdge.Geometry.Tests.Graphs;

[Trait("Category", "Fault")]
public sealed class KnnGraphFaultTests
{
    [Fact]
    public void Non_finite_point_is_rejected_naming_the_first_one()
    {
        var cloud = new PointCloud([0, 0, 0, 1, 1, 1, 2, float.NaN, 2, float.PositiveInfinity, 0, 0]);

        var knn = Assert.Throws<ArgumentException>(() => KnnGraph.Build(cloud, 2));
        var radius = Assert.Throws<ArgumentException>(() => RadiusGraph.Build(cloud, 1f));
        var sor = Assert.Throws<ArgumentException>(() => StatisticalOutlierRemoval.Inliers(cloud, 2, 1.0));
        var ror = Assert.Throws<ArgumentException>(() => RadiusOutlierRemoval.Inliers(cloud, 1.0, 1));

        Assert.StartsWith("point 2 has a non-finite coordinate", knn.Message, StringComparison.Ordinal);
        Assert.Equal("cloud", knn.ParamName);
        Assert.StartsWith("point 2 ", radius.Message, StringComparison.Ordinal);
        Assert.StartsWith("point 2 ", sor.Message, StringComparison.Ordinal);
        Assert.StartsWith("point 2 ", ror.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_parameters_are_rejected()
    {
        PointCloud cloud = NeighbourClouds.Uniform(10, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => KnnGraph.Build(cloud, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KnnGraph.Neighbours(cloud, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnGraph(4, flow: (GraphFlow)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => RadiusGraph.Build(cloud, -0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => RadiusGraph.Build(cloud, float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => RadiusGraph.Build(cloud, float.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => RadiusGraph.Build(cloud, 1f, maxNumNeighbors: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatisticalOutlierRemoval.Inliers(cloud, 0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatisticalOutlierRemoval.Inliers(cloud, 3, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => RadiusOutlierRemoval.Inliers(cloud, 0.0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RadiusOutlierRemoval.Inliers(cloud, 1.0, -1));
        Assert.Throws<ArgumentException>(() => new EdgeIndex([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new NeighbourMatrix([1, 2, 3], 2, 2));
    }
}
