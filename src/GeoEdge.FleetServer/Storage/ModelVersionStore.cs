using System.Data.Common;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Storage;

/// <summary>The model registry's index: uploaded bundle blobs and the model versions they hold.</summary>
public sealed class ModelVersionStore
{
    private const string Columns = "model, version, task, bundle_sha256, manifest_sha256, size, key_id, signature, uploaded_at";

    private readonly FleetDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over a migrated database.</summary>
    public ModelVersionStore(FleetDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Records an uploaded version and its blob. The same bundle uploaded again is accepted (returns the stored
    /// record); another bundle under an existing model+version is refused (returns the stored one, whose sha differs).</summary>
    public async Task<ModelVersionRecord> AddAsync(ModelVersionRecord version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return await _database.InTransactionAsync(async (session, ct) =>
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await session.ExecuteAsync("INSERT INTO blobs (sha256, size, created_at) VALUES (@s, @z, @now) ON CONFLICT (sha256) DO NOTHING", ct,
                ("s", version.Info.BundleSha256), ("z", version.Info.Size), ("now", now)).ConfigureAwait(false);
            ModelVersionInfo info = version.Info;
            await session.ExecuteAsync(
                $"INSERT INTO model_versions ({Columns}) VALUES (@m, @v, @t, @b, @ms, @z, @k, @sig, @now) ON CONFLICT (model, version) DO NOTHING", ct,
                ("m", info.Model), ("v", info.Version), ("t", info.Task), ("b", info.BundleSha256), ("ms", info.ManifestSha256),
                ("z", info.Size), ("k", info.KeyId), ("sig", version.Signature), ("now", now)).ConfigureAwait(false);
            return await session.QueryFirstOrDefaultAsync($"SELECT {Columns} FROM model_versions WHERE model = @m AND version = @v", Read, ct,
                ("m", info.Model), ("v", info.Version)).ConfigureAwait(false) ?? throw new InvalidOperationException("model version vanished inside its transaction");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One version, or null.</summary>
    public async Task<ModelVersionRecord?> GetAsync(string model, string version, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.QueryFirstOrDefaultAsync($"SELECT {Columns} FROM model_versions WHERE model = @m AND version = @v", Read,
            cancellationToken, ("m", model), ("v", version)).ConfigureAwait(false);
    }

    /// <summary>All versions of all models, by model then upload time.</summary>
    public async Task<List<ModelVersionRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.QueryAsync($"SELECT {Columns} FROM model_versions ORDER BY model, uploaded_at, version", Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The versions of one model, by upload time (empty when the model is unknown).</summary>
    public async Task<List<ModelVersionRecord>> ListVersionsAsync(string model, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.QueryAsync($"SELECT {Columns} FROM model_versions WHERE model = @m ORDER BY uploaded_at, version", Read,
            cancellationToken, ("m", model)).ConfigureAwait(false);
    }

    /// <summary>True when a blob with this SHA-256 was registered (downloads are served only for registered blobs).</summary>
    public async Task<bool> BlobExistsAsync(string sha256, CancellationToken cancellationToken)
    {
        await using SqlSession session = await _database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.ScalarInt64Async("SELECT COUNT(*) FROM blobs WHERE sha256 = @s", cancellationToken, ("s", sha256)).ConfigureAwait(false) > 0;
    }

    private static ModelVersionRecord Read(DbDataReader r) => new(
        new ModelVersionInfo(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetString(6),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8))),
        r.GetString(7));
}

/// <summary>A registered model version: the wire view and the manifest signature devices receive in their assignment.</summary>
/// <param name="Info">What GET /v1/models/{name}/versions shows.</param>
/// <param name="Signature">Base64 manifest.sig.</param>
public sealed record ModelVersionRecord(ModelVersionInfo Info, string Signature)
{
    /// <summary>The bundle reference an assignment carries for this version.</summary>
    public BundleReference ToBundleReference() =>
        new(Info.BundleSha256, Info.Size, $"/v1/bundles/{Info.BundleSha256}", Signature, Info.KeyId);
}
