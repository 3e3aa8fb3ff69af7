using System.Text.Json;
using GeoEdge.Host.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Server-sent events: each published event as <c>data: {json}</c>, and a comment heartbeat while idle.</summary>
internal static class EventStream
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public static async Task RunAsync(HttpContext context, EventRing ring, TimeSpan heartbeat, TimeProvider time)
    {
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        // Stop on client disconnect and on service shutdown (an open stream must not hold the host's StopAsync).
        IHostApplicationLifetime? lifetime = context.RequestServices.GetService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime?.ApplicationStopping ?? CancellationToken.None);
        CancellationToken ct = stop.Token;

        using EventSubscription subscription = ring.Subscribe();
        var line = new MemoryStream();
        try
        {
            // The first bytes commit the headers, so a client knows it is subscribed before any event arrives.
            await response.Body.WriteAsync(": subscribed\n\n"u8.ToArray(), ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                using var idle = new CancellationTokenSource(heartbeat, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token);
                try
                {
                    if (!await subscription.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(Heartbeat, ct).ConfigureAwait(false);
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                    continue;
                }

                while (subscription.Reader.TryRead(out DeviceEvent e))
                {
                    line.SetLength(0);
                    line.Write(DataPrefix);
                    using (var json = new Utf8JsonWriter(line))
                    {
                        JsonSerializer.Serialize(json, e, EventJsonContext.Default.DeviceEvent);
                    }

                    line.Write(Separator);
                    await response.Body.WriteAsync(line.GetBuffer().AsMemory(0, (int)line.Length), ct).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away or the service is stopping: the normal end of a stream.
        }
        catch (IOException)
        {
            // The connection broke mid-write.
        }
    }
}
