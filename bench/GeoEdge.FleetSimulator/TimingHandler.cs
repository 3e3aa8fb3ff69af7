using System.Diagnostics;

namespace GeoEdge.FleetSimulator;

/// <summary>Sits between a device's <c>FleetClient</c> and its socket handler and writes each request to the
/// <see cref="RequestLog"/>; a bundle's body is wrapped so the transfer is timed to its last byte.</summary>
internal sealed class TimingHandler(RequestLog log, int device, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestKind kind = RequestKinds.Of(request.Method, request.RequestUri!.AbsolutePath);
        double start = log.Now;
        long began = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            log.Add(new RequestSample(kind, device, start, Stopwatch.GetElapsedTime(began).TotalMilliseconds, 0));
            throw;
        }

        log.Add(new RequestSample(kind, device, start, Stopwatch.GetElapsedTime(began).TotalMilliseconds, (int)response.StatusCode));
        if (kind == RequestKind.Bundle && response.IsSuccessStatusCode)
        {
            response.Content = new TimedContent(response.Content, log, start, began);
        }

        return response;
    }
}
