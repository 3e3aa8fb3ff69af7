using System.Security.Cryptography;
using System.Text;

namespace GeoEdge.Host.Diagnostics;

/// <summary>The bearer token that guards the model-switching routes, kept in a 0600 file in the state directory.</summary>
public sealed class DiagnosticsToken
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly byte[] _token;

    private DiagnosticsToken(string path, string token)
    {
        Path = path;
        _token = Encoding.UTF8.GetBytes(token);
    }

    public string Path { get; }

    /// <summary>Reads the token file, or creates it (0600, 32 random bytes as lower-case hex) by write-temp + rename.</summary>
    /// <exception cref="DiagnosticsTokenException">The file is readable by group or others, or holds no token.</exception>
    public static DiagnosticsToken LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            Create(path);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
        {
            throw new DiagnosticsTokenException(path, $"mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)} lets others read the token; chmod 600 it");
        }

        string token = File.ReadAllText(path).Trim();
        if (token.Length < 16)
        {
            throw new DiagnosticsTokenException(path, $"holds {token.Length} characters; a token needs at least 16");
        }

        return new DiagnosticsToken(path, token);
    }

    /// <summary>True when <paramref name="authorization"/> is "Bearer &lt;token&gt;"; the comparison takes the same time wherever the first difference is.</summary>
    public bool Accepts(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given = Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString());
        return CryptographicOperations.FixedTimeEquals(given, _token);
    }

    private static void Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(token + "\n"));
                stream.Flush(flushToDisk: true);
            }

            // No overwrite: when two processes race, the first token wins and both read it back.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }
    }
}

/// <summary>The diagnostics token file cannot be used; names the file and why.</summary>
public sealed class DiagnosticsTokenException : Exception
{
    public DiagnosticsTokenException()
    {
        File = string.Empty;
    }

    public DiagnosticsTokenException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    public DiagnosticsTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
    }

    public DiagnosticsTokenException(string file, string detail)
        : base($"{file}: {detail}")
    {
        File = file;
    }

    public string File { get; }
}
