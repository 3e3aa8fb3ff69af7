namespace GeoEdge.Geometry.Transforms;

/// <summary>A step that maps a cloud to a new cloud, never writing to its input; ToString prints its parameters PyG style.</summary>
public interface IPointCloudTransform
{
    PointCloud Apply(PointCloud cloud);
}
