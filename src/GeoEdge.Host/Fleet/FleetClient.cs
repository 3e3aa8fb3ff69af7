using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GeoEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>The device side of the fleet protocol over one HttpClient: every device call signed with
/// <see cref="RequestSignature"/> (key id = deviceId), over TLS pinned to the fleet CA (and mutual TLS on the device
/// port) once enrolled, 429/503 Retry-After honoured, 5xx and broken connections retried with jittered backoff, any
/// other 4xx thrown at once as a <see cref="FleetRequestException"/> carrying the problem document.</summary>
public sealed class FleetClient : IDisposable
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(15);
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Backoff _backoff;
    private readonly ILogger _logger;

    public FleetClient(Uri serverUrl, HttpMessageHandler handler, TimeProvider time, Backoff backoff, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(handler);
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = serverUrl, Timeout = Timeout.InfiniteTimeSpan };
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _backoff = backoff ?? throw new ArgumentNullException(nameof(backoff));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Delay = (delay, ct) => Task.Delay(delay, _time, ct);
    }

    public Uri ServerUrl => _http.BaseAddress!;

    /// <summary>Signs device calls once enrollment has given the device an id; null before.</summary>
    public DeviceCredentials? Credentials { get; set; }

    /// <summary>Tries per call before a transient failure is thrown to the caller (whose own loop backs off further).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>How long one API call may take (downloads set their own limits).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Waits between tries (Task.Delay on the agent's TimeProvider); tests record the delays instead of sleeping.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; }

    /// <summary>The server-certificate check of an enrolled client (what <see cref="ForDevice"/> wires), or null; a call
    /// refused by it fails with a <see cref="ServerCertificateRejectedException"/> inside its FleetRequestException.</summary>
    public ServerCertificatePin? Pin { get; init; }

    /// <summary>The client of an enrolled device: its credentials sign every call, the server's certificate must chain to
    /// the fleet CA from enrollment (<see cref="ServerCertificatePin"/>), and with <paramref name="presentCertificate"/>
    /// the device certificate is presented for mutual TLS (the device port refuses the handshake without one).</summary>
    public static FleetClient ForDevice(Uri serverUrl, DeviceCredentials credentials, bool presentCertificate, TimeProvider time, Backoff backoff, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ServerCertificatePin? pin = credentials.Ca is { } ca ? new ServerCertificatePin(ca) : null;
        return new FleetClient(serverUrl, CreateHandler(presentCertificate ? credentials.Certificate : null, pin), time, backoff, logger)
        {
            Credentials = credentials,
            Pin = pin,
        };
    }

    /// <summary>The handler: TLS checked by <paramref name="pin"/> when given (else the system's roots, as for enrollment
    /// on a public https URL), <paramref name="clientCertificate"/> presented whenever the server asks for one.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate, ServerCertificatePin? pin)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None, // a bundle's bytes are hashed as they arrive
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
            // Always this certificate: the default selection drops a certificate whose issuer is not in the server's
            // list of acceptable CAs, and what a TLS stack sends there varies (nothing, or the system's roots).
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        if (pin is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = pin.Validate;
        }

        return handler;
    }

    public Task<EnrollResponse> EnrollAsync(EnrollRequest request, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, "/v1/enroll", request, FleetJsonContext.Default.EnrollRequest, FleetJsonContext.Default.EnrollResponse, null, signed: false, cancellationToken)!;

    /// <summary>GET desired with If-None-Match; null when the server answers 304 (nothing changed).</summary>
    public async Task<(DesiredState State, string? ETag)?> GetDesiredAsync(string? etag, CancellationToken cancellationToken)
    {
        string path = $"/v1/devices/{Id}/desired";
        using HttpResponseMessage response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            return request;
        }, null, signed: true, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }

        DesiredState state = await ReadAsync(response, FleetJsonContext.Default.DesiredState, $"GET {path}", cancellationToken).ConfigureAwait(false);
        return (state, response.Headers.ETag?.ToString());
    }

    public async Task PutReportedAsync(ReportedState reported, CancellationToken cancellationToken)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(reported, FleetJsonContext.Default.ReportedState);
        using HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"/v1/devices/{Id}/reported"), body, signed: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Posts one action status; false when the server answers 410 (the action is no longer current).</summary>
    public async Task<bool> PostStatusAsync(string actionId, string idempotencyKey, ActionStatusReport report, CancellationToken cancellationToken)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(report, FleetJsonContext.Default.ActionStatusReport);
        string path = $"/v1/devices/{Id}/actions/{Uri.EscapeDataString(actionId)}/status";
        try
        {
            using HttpResponseMessage response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, path);
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
                return request;
            }, body, signed: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (FleetRequestException e) when (e.Status == (int)HttpStatusCode.Gone)
        {
            return false;
        }
    }

    public Task<MetricsAck> PostMetricsAsync(MetricsBatch batch, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, $"/v1/devices/{Id}/metrics:batch", batch, FleetJsonContext.Default.MetricsBatch, FleetJsonContext.Default.MetricsAck, null, signed: true, cancellationToken);

    /// <summary>One signed GET for a download, headers read, no retry (the download resumes on its own terms).</summary>
    public async Task<HttpResponseMessage> GetForDownloadAsync(string url, Action<HttpRequestHeaders> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        headers(request.Headers);
        Sign(request, []);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new FleetRequestException($"GET {url}", null, null, transient: true, WhyNoAnswer(e));
        }
    }

    public void Dispose() => _http.Dispose();

    private string Id => Uri.EscapeDataString(Credentials?.DeviceId ?? throw new InvalidOperationException("the device is not enrolled: no device id to call the fleet server with"));

    private async Task<TResponse> SendJsonAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, string? idempotencyKey, bool signed, CancellationToken cancellationToken)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        using HttpResponseMessage response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, path);
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            return request;
        }, bytes, signed, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, $"{method} {path}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends with retries; returns a 2xx or 304 response (the caller disposes it), else throws.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, byte[]? body, bool signed, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            using HttpRequestMessage request = build();
            string what = $"{request.Method} {request.RequestUri}";
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (signed)
            {
                Sign(request, body ?? []);
            }

            FleetRequestException failure;
            TimeSpan? wait = null;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(RequestTimeout);
                try
                {
                    HttpResponseMessage response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
                    {
                        return response;
                    }

                    using (response)
                    {
                        int status = (int)response.StatusCode;
                        bool transient = status >= 500 || status == 429;
                        FleetProblem? problem = await ReadProblemAsync(response, timeout.Token).ConfigureAwait(false);
                        failure = new FleetRequestException(what, status, problem, transient);
                        if (status is 429 or 503)
                        {
                            wait = RetryAfter(response);
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    // Transient even when the certificate was refused: the server's certificate may be fixed, and the
                    // caller's loops back off (an OTA download must not fail for good, nor an outbox drop a status).
                    failure = new FleetRequestException(what, null, null, transient: true, WhyNoAnswer(e));
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new FleetRequestException(what, null, null, transient: true, new TimeoutException($"no answer within {RequestTimeout}", e));
                }
            }

            if (!failure.Transient || attempt + 1 >= MaxAttempts)
            {
                throw failure;
            }

            TimeSpan delay = wait ?? _backoff.Delay(attempt);
            Log.Retrying(_logger, what, failure.Status ?? 0, delay.TotalSeconds, failure.Message);
            await Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body)
    {
        if (Credentials is not { } credentials)
        {
            throw new InvalidOperationException("the device is not enrolled: no key to sign the request with");
        }

        Uri absolute = request.RequestUri!.IsAbsoluteUri ? request.RequestUri : new Uri(_http.BaseAddress!, request.RequestUri);
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        string nonce = RequestSignature.NewNonce();
        string signature = RequestSignature.Sign(credentials.Key, request.Method.Method, absolute.PathAndQuery, now, nonce, body);
        request.Headers.TryAddWithoutValidation(RequestSignature.KeyIdHeader, credentials.DeviceId);
        request.Headers.TryAddWithoutValidation(RequestSignature.TimestampHeader, now.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(RequestSignature.NonceHeader, nonce);
        request.Headers.TryAddWithoutValidation(RequestSignature.SignatureHeader, signature);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retry)
        {
            return null;
        }

        TimeSpan? delay = retry.Delta ?? (retry.Date is { } date ? date - _time.GetUtcNow() : null);
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, MaxRetryAfter.Ticks)) : null;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        try
        {
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(body, type, cancellationToken).ConfigureAwait(false)
                    ?? throw new FleetRequestException(what, (int)response.StatusCode, new FleetProblem(null, "empty body", null, $"expected a {typeof(T).Name}"), transient: false);
            }
        }
        catch (JsonException e)
        {
            throw new FleetRequestException(what, (int)response.StatusCode, new FleetProblem(null, "malformed body", null, $"not a {typeof(T).Name}: {e.Message}"), transient: false, e);
        }
    }

    private static async Task<FleetProblem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json" && body.Length > 0)
            {
                return JsonSerializer.Deserialize(body, FleetJsonContext.Default.FleetProblem);
            }

            return body.Length == 0 ? null : new FleetProblem(null, null, (int)response.StatusCode, System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)));
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            return null;
        }
    }

    /// <summary>The connection failure, or the pin's refusal that caused it (with the failure inside).</summary>
    private Exception WhyNoAnswer(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.SecureConnectionError && Pin?.TakeRejection() is { } refused ? refused.CausedBy(e) : e;
}
