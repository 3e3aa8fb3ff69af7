using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Sampling;
using GeoEdge.Geometry.Transforms;

namespace GeoEdge.Geometry.Tests.Filters;

[Trait("Category", "Unit")]
public sealed class FilterCompositionTests
{
    [Fact]
    public void Outlier_filters_compose_with_other_transforms_like_any_transform()
    {
        var cloud = new PointCloud(TestClouds.Positions(500, seed: 21));
        cloud.Positions[0] = 40;
        var sor = new StatisticalOutlierRemoval(8, 1.0);
        var ror = new RadiusOutlierRemoval(0.5, 2);
        var grid = new GridSampling(0.25f);

        PointCloud composed = new Compose(sor, ror, grid).Apply(cloud);
        PointCloud stepwise = grid.Apply(ror.Apply(sor.Apply(cloud)));

        Assert.Equal(stepwise.Positions, composed.Positions);
        Assert.DoesNotContain(40f, composed.Positions);
        Assert.Equal(
            "Compose([StatisticalOutlierRemoval(mean_k=8, std_mul=1), RadiusOutlierRemoval(radius=0.5, min_neighbors=2), GridSampling(size=0.25)])",
            new Compose(sor, ror, grid).ToString());
    }
}
