namespace GeoEdge.Host.Models;

/// <summary>Exclusive use of a model store by one process (models/store.lock, held open with no sharing).</summary>
/// <remarks>On Linux .NET takes an advisory flock for FileShare.None, which the kernel drops when the process dies,
/// even by SIGKILL, so a crash never leaves the store locked.</remarks>
internal sealed class StoreLock : IDisposable
{
    public const string FileName = "store.lock";

    private readonly FileStream _file;

    private StoreLock(FileStream file)
    {
        _file = file;
    }

    public static StoreLock Acquire(string root)
    {
        Directory.CreateDirectory(root);
        string path = Path.Combine(root, FileName);
        try
        {
            return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new ModelStoreException(path, "another process has this model store open (is the geoedge service running? stop it, or go through its diagnostics endpoint)", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
