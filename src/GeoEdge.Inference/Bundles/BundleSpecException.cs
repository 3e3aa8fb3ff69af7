namespace GeoEdge.Inference.Bundles;

/// <summary>A manifest spec (or the manifest made from it) breaks the bundle schema; <see cref="Errors"/> name each JSON path.</summary>
public sealed class BundleSpecException : Exception
{
    public BundleSpecException()
    {
    }

    public BundleSpecException(string message)
        : base(message)
    {
    }

    public BundleSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BundleSpecException(string spec, IReadOnlyList<ManifestError> errors)
        : base($"{spec}: {errors[0]}{(errors.Count > 1 ? $" (and {errors.Count - 1} more: {string.Join("; ", errors.Skip(1).Take(4))})" : string.Empty)}")
    {
        Errors = errors;
    }

    public IReadOnlyList<ManifestError> Errors { get; } = [];
}
