using System.IO.Compression;
using System.Security.Cryptography;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;
using GeoEdge.Inference.Bundles;
using Microsoft.Extensions.Logging;

namespace GeoEdge.FleetServer.Registry;

/// <summary>Takes uploaded .geob bundles: stages them, verifies them exactly as a device would (ModelBundle.Open against
/// the server's trusted keys), stores the blob by its SHA-256 and records the version.</summary>
public sealed class ModelRegistry
{
    private readonly FleetStore _store;
    private readonly IBlobStore _blobs;
    private readonly TrustedKeys _trustedKeys;
    private readonly long _maxBundleBytes;
    private readonly ILogger _logger;

    /// <summary>Creates the registry.</summary>
    public ModelRegistry(FleetStore store, IBlobStore blobs, TrustedKeys trustedKeys, long maxBundleBytes, ILogger<ModelRegistry> logger)
    {
        _store = store;
        _blobs = blobs;
        _trustedKeys = trustedKeys;
        _maxBundleBytes = maxBundleBytes;
        _logger = logger;
    }

    /// <summary>Registers the bundle in <paramref name="body"/>; never throws for a bad bundle (the outcome says why).</summary>
    public async Task<ModelUploadOutcome> UploadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        string staged = Path.Combine(_blobs.StagingDirectory, $"upload-{Guid.NewGuid():N}{ModelBundle.ArchiveExtension}");
        try
        {
            (string? sha256, long size) = await StageAsync(body, staged, cancellationToken).ConfigureAwait(false);
            if (sha256 is null)
            {
                return ModelUploadOutcome.Refused(413, "body-too-large", $"a bundle may be at most {_maxBundleBytes} bytes");
            }

            ModelVersionInfo info;
            string signature;
            try
            {
                using ModelBundle bundle = ModelBundle.Open(staged, _trustedKeys, new BundleOpenOptions { ExtractionRoot = _blobs.StagingDirectory });
                signature = BundleSignature.Parse(ReadSignature(staged)).Signature;
                info = new ModelVersionInfo(bundle.Manifest.Name, bundle.Manifest.Version, bundle.Manifest.Task, sha256, bundle.ManifestSha256, size,
                    bundle.SignerKeyId!, _store.Time.GetUtcNow());
            }
            catch (BundleVerificationException e)
            {
                Log.ModelRejected(_logger, e.Check.ToString(), e.Message);
                return ModelUploadOutcome.Refused(422, "bundle-" + KebabCase(e.Check.ToString()), $"bundle check {e.Check} failed: {e.Message}");
            }

            ModelVersionRecord? existing = await _store.Models.GetAsync(info.Model, info.Version, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.Info.BundleSha256 != sha256)
            {
                return ModelUploadOutcome.Refused(409, "version-exists",
                    $"{info.Model} {info.Version} is already registered with bundle {existing.Info.BundleSha256}; a version's bytes never change (bump the version)");
            }

            // Blob before row: the database never points at a blob that is not there.
            await _blobs.PutAsync(sha256, staged, cancellationToken).ConfigureAwait(false);
            ModelVersionRecord stored = await _store.Models.AddAsync(new ModelVersionRecord(info, signature), cancellationToken).ConfigureAwait(false);
            if (stored.Info.BundleSha256 != sha256)
            {
                return ModelUploadOutcome.Refused(409, "version-exists", $"{info.Model} {info.Version} was registered concurrently with another bundle");
            }

            if (existing is null)
            {
                Log.ModelRegistered(_logger, info.Model, info.Version, sha256, size);
            }

            return ModelUploadOutcome.Accepted(stored, created: existing is null);
        }
        finally
        {
            if (File.Exists(staged))
            {
                File.Delete(staged);
            }
        }
    }

    /// <summary>Copies the body to <paramref name="path"/> while hashing it, then fsyncs; (null, n) when it grows past the limit.</summary>
    private async Task<(string? Sha256, long Size)> StageAsync(Stream body, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            size += read;
            if (size > _maxBundleBytes)
            {
                return (null, size);
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        file.Flush(flushToDisk: true);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    /// <summary>manifest.sig from the archive (extraction keeps only the files the manifest lists); ModelBundle.Open
    /// has already verified it, so its size is within the verifier's limit.</summary>
    private static byte[] ReadSignature(string archive)
    {
        using ZipArchive zip = ZipFile.OpenRead(archive);
        ZipArchiveEntry entry = zip.GetEntry(BundleSignature.FileName)
            ?? throw new InvalidOperationException($"{archive}: verified bundle has no {BundleSignature.FileName}");
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string KebabCase(string pascal)
    {
        var builder = new System.Text.StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }
}
