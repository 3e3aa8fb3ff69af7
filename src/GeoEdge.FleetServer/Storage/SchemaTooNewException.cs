namespace GeoEdge.FleetServer.Storage;

/// <summary>The database was migrated by a newer server than this one; running on it could corrupt what that server wrote.</summary>
public sealed class SchemaTooNewException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchemaTooNewException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SchemaTooNewException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SchemaTooNewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a database at <paramref name="databaseVersion"/> and code at <paramref name="codeVersion"/>.</summary>
    public SchemaTooNewException(string database, long databaseVersion, int codeVersion)
        : base($"{database}: schema version {databaseVersion} is newer than this server's {codeVersion}; upgrade the server (refusing to run on it)")
    {
        DatabaseVersion = databaseVersion;
        CodeVersion = codeVersion;
    }

    /// <summary>The schema version found in the database.</summary>
    public long DatabaseVersion { get; }

    /// <summary>The newest version this server knows.</summary>
    public int CodeVersion { get; }
}
