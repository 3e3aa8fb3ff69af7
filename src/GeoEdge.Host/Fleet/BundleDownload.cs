using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GeoEdge.Host.Models;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>A resumable bundle download into the state directory: bytes go to &lt;file&gt;.part, whose ETag and length sit
/// in &lt;file&gt;.part.json; after a break the next try asks for Range: bytes=N- with If-Range: the ETag, and a 200 instead
/// of 206 (the file changed) or a changed length starts over from byte 0. The complete file is fsynced, then renamed.</summary>
/// <remarks>Hashing is the caller's: the OTA flow's Verify state checks the SHA-256 of the whole file against the assignment.</remarks>
public sealed class BundleDownload(FleetClient client, ILogger logger)
{
    private const int FlushEvery = 1 << 20;

    /// <summary>Downloads <paramref name="url"/> to <paramref name="target"/>; returns the bytes fetched by this call.</summary>
    /// <exception cref="FleetRequestException">The server failed or the connection broke (Transient: try again, it resumes).</exception>
    /// <exception cref="InvalidDataException">The server's file is not <paramref name="expectedSize"/> bytes long.</exception>
    public async Task<long> DownloadAsync(string url, long expectedSize, string target, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (File.Exists(target) && new FileInfo(target).Length == expectedSize)
        {
            return 0;
        }

        string part = target + ".part";
        string sidecar = part + ".json";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        DownloadRecord? record = ReadRecord(sidecar);
        long have = record is not null && record.Url == url && File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > 0)
        {
            Log.DownloadResuming(logger, url, have, record!.Length);
        }

        using HttpResponseMessage response = await client.GetForDownloadAsync(url, headers =>
        {
            if (have > 0)
            {
                headers.Range = new RangeHeaderValue(have, null);
                if (EntityTagHeaderValue.TryParse(record!.ETag, out EntityTagHeaderValue? etag))
                {
                    headers.IfRange = new RangeConditionHeaderValue(etag);
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        long length;
        string etagText = response.Headers.ETag?.ToString() ?? string.Empty;
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when have > 0 && record is not null
                && response.Content.Headers.ContentRange is { From: { } from, Length: { } total }
                && from == have && total == record.Length && (etagText.Length == 0 || etagText == record.ETag):
                length = total;
                break;
            case HttpStatusCode.PartialContent:
                // A range that does not continue our bytes, or a resource that changed length or ETag: start over.
                Restart(part, sidecar, url, "the server's range answer does not continue the partial file");
                throw new FleetRequestException($"GET {url}", 206, null, transient: true);
            case HttpStatusCode.RequestedRangeNotSatisfiable when record is not null && have == record.Length:
                length = have;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                Restart(part, sidecar, url, "the server cannot serve the partial file's range");
                throw new FleetRequestException($"GET {url}", 416, null, transient: true);
            case HttpStatusCode.OK:
                if (have > 0)
                {
                    Log.DownloadRestarting(logger, url, "the server sent the whole file (If-Range: the file changed)");
                }

                length = response.Content.Headers.ContentLength ?? -1;
                have = 0;
                DeletePartial(part, sidecar);
                DurableFile.Write(sidecar, JsonSerializer.SerializeToUtf8Bytes(new DownloadRecord(url, etagText, length), AgentJsonContext.Default.DownloadRecord));
                break;
            default:
                int status = (int)response.StatusCode;
                throw new FleetRequestException($"GET {url}", status, null, transient: status >= 500 || status == 429);
        }

        if (length != expectedSize)
        {
            DeletePartial(part, sidecar);
            throw new InvalidDataException($"{url}: the server's file is {length} bytes; the assignment says {expectedSize}");
        }

        long fetched = await CopyAsync(response, part, have, length, progress, url, cancellationToken).ConfigureAwait(false);
        File.Move(part, target, overwrite: true);
        DurableFile.Delete(sidecar);
        DurableDirectory.Sync(Path.GetDirectoryName(Path.GetFullPath(target))!);
        return fetched;
    }

    private static async Task<long> CopyAsync(HttpResponseMessage response, string part, long have, long length, Action<long>? progress, string url, CancellationToken cancellationToken)
    {
        long fetched = 0;
        using var file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1 << 16);
        file.SetLength(have);
        file.Position = have;
        byte[] buffer = new byte[1 << 16];
        try
        {
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                long sinceFlush = 0;
                int n;
                while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (have + fetched + n > length)
                    {
                        throw new InvalidDataException($"{url}: the server sent more than the {length} bytes it announced");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    fetched += n;
                    sinceFlush += n;
                    if (sinceFlush >= FlushEvery)
                    {
                        file.Flush(flushToDisk: true);
                        sinceFlush = 0;
                        progress?.Invoke(have + fetched);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            file.Flush(flushToDisk: true); // what arrived is kept: the next try resumes after it
            throw new FleetRequestException($"GET {url}", null, null, transient: true, e);
        }

        file.Flush(flushToDisk: true);
        progress?.Invoke(have + fetched);
        if (have + fetched != length)
        {
            throw new FleetRequestException($"GET {url}", null, null, transient: true, new IOException($"the connection ended at byte {have + fetched} of {length}"));
        }

        return fetched;
    }

    private void Restart(string part, string sidecar, string url, string reason)
    {
        Log.DownloadRestarting(logger, url, reason);
        DeletePartial(part, sidecar);
    }

    private static void DeletePartial(string part, string sidecar)
    {
        DurableFile.Delete(sidecar);
        DurableFile.Delete(part);
    }

    private static DownloadRecord? ReadRecord(string sidecar)
    {
        try
        {
            return File.Exists(sidecar) ? JsonSerializer.Deserialize(File.ReadAllBytes(sidecar), AgentJsonContext.Default.DownloadRecord) : null;
        }
        catch (JsonException)
        {
            return null; // a damaged sidecar only costs a restart from byte 0
        }
    }
}
