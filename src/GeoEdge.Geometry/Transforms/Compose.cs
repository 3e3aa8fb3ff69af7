namespace GeoEdge.Geometry.Transforms;

/// <summary>Applies transforms in order, each to the previous one's result (PyG Compose).</summary>
public sealed class Compose : IPointCloudTransform
{
    private readonly IPointCloudTransform[] _transforms;

    public Compose(params IPointCloudTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        foreach (IPointCloudTransform t in transforms)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(transforms));
        }

        _transforms = [.. transforms];
    }

    public IReadOnlyList<IPointCloudTransform> Transforms => _transforms;

    /// <summary>The last transform's result; a copy of <paramref name="cloud"/> when there are none, so the input is never handed back.</summary>
    public PointCloud Apply(PointCloud cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        PointCloud current = cloud;
        foreach (IPointCloudTransform t in _transforms)
        {
            current = t.Apply(current);
        }

        return ReferenceEquals(current, cloud) ? cloud.Clone() : current;
    }

    public override string ToString() => $"Compose([{string.Join(", ", (object[])_transforms)}])";
}
