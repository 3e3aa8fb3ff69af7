namespace GeoEdge.FleetServer.Registry;

/// <summary>Blobs as files: data/blobs/sha256/ab/abcdef... (the first two hex digits fan the directory out).</summary>
public sealed class DirectoryBlobStore : IBlobStore
{
    private readonly string _root;

    /// <summary>Creates the store under <paramref name="root"/> (created if missing).</summary>
    public DirectoryBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        StagingDirectory = Path.Combine(_root, "staging");
        Directory.CreateDirectory(StagingDirectory);
    }

    /// <inheritdoc/>
    public string StagingDirectory { get; }

    /// <summary>The path a blob lives at (whether or not it exists).</summary>
    public string PathOf(string sha256)
    {
        if (!IsSha256(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not 64 lower-case hex digits", nameof(sha256));
        }

        return Path.Combine(_root, "sha256", sha256[..2], sha256);
    }

    /// <inheritdoc/>
    public Task PutAsync(string sha256, string verifiedFile, CancellationToken cancellationToken)
    {
        string target = PathOf(sha256);
        if (File.Exists(target))
        {
            File.Delete(verifiedFile);
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // The staged file was fsynced when it was written; the rename is atomic, so a reader sees no blob or all of it.
        // Two uploads of the same bytes racing both rename identical content: either wins.
        File.Move(verifiedFile, target, overwrite: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Stream? OpenRead(string sha256)
    {
        if (!IsSha256(sha256))
        {
            return null;
        }

        string path = PathOf(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true) : null;
    }

    /// <summary>True for 64 lower-case hex digits.</summary>
    public static bool IsSha256(string? value)
    {
        if (value is not { Length: 64 })
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
