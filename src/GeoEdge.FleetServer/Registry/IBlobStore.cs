namespace GeoEdge.FleetServer.Registry;

/// <summary>Content-addressed storage of bundle files, by lower-case hex SHA-256.</summary>
/// <remarks>The extension point for an S3-compatible object store: an implementation stores the verified file under its
/// address (PUT with the sha as key; a HEAD first dedupes) and opens a seekable stream for range requests (or, better,
/// the bundle endpoint redirects to a pre-signed URL). Only <see cref="DirectoryBlobStore"/> exists; none is faked.</remarks>
public interface IBlobStore
{
    /// <summary>Stores <paramref name="verifiedFile"/> (already hashed) under <paramref name="sha256"/> by moving or copying it;
    /// a blob already stored under that address is kept (dedupe) and the file is deleted.</summary>
    Task PutAsync(string sha256, string verifiedFile, CancellationToken cancellationToken);

    /// <summary>A seekable read stream of the blob, or null when it is not stored; the caller disposes it.</summary>
    Stream? OpenRead(string sha256);

    /// <summary>Where uploads are staged before they are verified (same file system as the blobs, so the put is a rename).</summary>
    string StagingDirectory { get; }
}
