using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>A test-only fleet server on 127.0.0.1 (real Kestrel) speaking the device half of the protocol in
/// Contracts: desired (ETag/304), reported, action statuses (Idempotency-Key replay, 410), metrics batches (unique
/// (epoch, seq)), bundles (Results.File with range processing), each device request's signature checked with
/// <see cref="RequestSignature"/>. Faults are set per test: cut a bundle response after N bytes, answer a status with 410.</summary>
internal sealed class FakeFleetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Body, int Status)> _idempotency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(long Epoch, long Seq), MetricsWindow> _metrics = new();

    private readonly X509Certificate2 _ca;

    private FakeFleetServer(WebApplication app)
    {
        _app = app;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test fleet CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(30));
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>The device key requests must be signed with (null: signatures are not checked).</summary>
    public ECDsa? DeviceKey { get; set; }

    public string DeviceId { get; set; } = "dev-1";

    public DesiredState? Desired { get; set; }

    public string EnrollmentToken { get; set; } = "fleet-token-1";

    public List<EnrollRequest> Enrollments { get; } = [];

    public ConcurrentDictionary<string, string> Bundles { get; } = new(StringComparer.Ordinal);

    /// <summary>Bundle responses to cut (connection aborted) after this many body bytes, one entry per request, in order.</summary>
    public ConcurrentQueue<long> CutBundleAfter { get; } = new();

    public ConcurrentQueue<int> MetricsFailures { get; } = new();

    public HashSet<string> GoneActions { get; } = new(StringComparer.Ordinal);

    public List<(string ActionId, string Key, ActionStatusReport Report)> Statuses { get; } = [];

    public List<ReportedState> Reports { get; } = [];

    public List<string> Requests { get; } = [];

    public List<string> BadSignatures { get; } = [];

    public List<string> IfNoneMatch { get; } = [];

    public List<(string? Range, string? IfRange, int Status)> BundleRequests { get; } = [];

    public IReadOnlyList<MetricsWindow> StoredMetrics => [.. _metrics.Values.OrderBy(w => w.Seq)];

    /// <summary>The statuses received, by name, in order (replays included once per request).</summary>
    public List<string> StatusNames
    {
        get
        {
            lock (Statuses)
            {
                return Statuses.ConvertAll(s => JsonSerializer.Serialize(s.Report.Status, FleetJsonContext.Default.ActionStatus).Trim('"'));
            }
        }
    }

    public static async Task<FakeFleetServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new FakeFleetServer(app);
        server.Map(app);
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ca.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            lock (Requests)
            {
                Requests.Add($"{context.Request.Method} {context.Request.Path}");
            }

            if (context.Request.Path.StartsWithSegments("/v1/devices") || context.Request.Path.StartsWithSegments("/v1/bundles"))
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                context.Request.Body.Position = 0;
                if (!SignatureValid(context.Request, body.ToArray()))
                {
                    lock (BadSignatures)
                    {
                        BadSignatures.Add($"{context.Request.Method} {context.Request.Path}");
                    }

                    context.Response.StatusCode = 401;
                    return;
                }
            }

            try
            {
                await next(context);
            }
            finally
            {
                if (context.Request.Path.StartsWithSegments("/v1/bundles"))
                {
                    lock (BundleRequests)
                    {
                        BundleRequests.Add((NullIfEmpty(context.Request.Headers.Range), NullIfEmpty(context.Request.Headers.IfRange), context.Response.StatusCode));
                    }
                }
            }
        });

        app.MapPost("/v1/enroll", async (HttpContext context) =>
        {
            EnrollRequest request = (await JsonSerializer.DeserializeAsync(context.Request.Body, FleetJsonContext.Default.EnrollRequest))!;
            if (request.EnrollmentToken != EnrollmentToken)
            {
                return Results.Problem(title: "enrollment refused", detail: "unknown enrollment token", statusCode: 403);
            }

            lock (Enrollments)
            {
                Enrollments.Add(request);
            }

            CertificateRequest csr = CertificateRequest.LoadSigningRequestPem(request.CsrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            DeviceKey ??= csr.PublicKey.GetECDsaPublicKey(); // from now on, requests must be signed by the enrolled key
            var issued = new CertificateRequest(new X500DistinguishedName($"CN={DeviceId}"), csr.PublicKey, HashAlgorithmName.SHA256);
            using X509Certificate2 cert = issued.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
            return Results.Json(new EnrollResponse(DeviceId, cert.ExportCertificatePem(), _ca.ExportCertificatePem(), 5), FleetJsonContext.Default.EnrollResponse, statusCode: 201);
        });

        app.MapGet("/v1/devices/{id}/desired", (HttpContext context) =>
        {
            string? inm = context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } v ? v : null;
            lock (IfNoneMatch)
            {
                IfNoneMatch.Add(inm ?? "-");
            }

            DesiredState desired = Desired ?? new DesiredState(1, 60, null);
            string etag = $"\"{desired.DesiredVersion}\"";
            if (inm == etag)
            {
                return Results.StatusCode(304);
            }

            context.Response.Headers.ETag = etag;
            return Results.Json(desired, FleetJsonContext.Default.DesiredState);
        });

        app.MapPut("/v1/devices/{id}/reported", async (HttpContext context) =>
        {
            ReportedState reported = (await JsonSerializer.DeserializeAsync(context.Request.Body, FleetJsonContext.Default.ReportedState))!;
            lock (Reports)
            {
                Reports.Add(reported);
            }

            return Results.NoContent();
        });

        app.MapPost("/v1/devices/{id}/actions/{actionId}/status", async (string actionId, HttpContext context) =>
        {
            string key = context.Request.Headers["Idempotency-Key"].ToString();
            using var reader = new StreamReader(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            if (_idempotency.TryGetValue(key, out (string Body, int Status) first))
            {
                return first.Body == body ? Results.StatusCode(first.Status) : Results.StatusCode(422);
            }

            int status = GoneActions.Contains(actionId) ? 410 : 204;
            _idempotency[key] = (body, status);
            if (status == 204)
            {
                lock (Statuses)
                {
                    Statuses.Add((actionId, key, JsonSerializer.Deserialize(body, FleetJsonContext.Default.ActionStatusReport)!));
                }
            }

            return Results.StatusCode(status);
        });

        app.MapPost("/v1/devices/{id}/metrics:batch", async (HttpContext context) =>
        {
            if (MetricsFailures.TryDequeue(out int failure))
            {
                if (failure is 429 or 503)
                {
                    context.Response.Headers.RetryAfter = "7";
                }

                return Results.Problem(detail: "injected", statusCode: failure);
            }

            MetricsBatch batch = (await JsonSerializer.DeserializeAsync(context.Request.Body, FleetJsonContext.Default.MetricsBatch))!;
            int written = 0;
            foreach (MetricsWindow w in batch.Records)
            {
                written += _metrics.TryAdd((batch.Epoch, w.Seq), w) ? 1 : 0;
            }

            return Results.Json(new MetricsAck(batch.LastSeq, written), FleetJsonContext.Default.MetricsAck);
        });

        app.MapGet("/v1/bundles/{sha}", (string sha, HttpContext context) =>
        {
            if (!Bundles.TryGetValue(sha, out string? path))
            {
                return Results.NotFound();
            }

            if (CutBundleAfter.TryDequeue(out long cut))
            {
                context.Response.Body = new CuttingStream(context.Response.Body, cut, context);
            }

            return Results.File(path, "application/octet-stream", enableRangeProcessing: true,
                entityTag: new EntityTagHeaderValue($"\"{Sha256Of(path)}\""));
        });
    }

    private bool SignatureValid(HttpRequest request, byte[] body)
    {
        if (DeviceKey is null)
        {
            return true;
        }

        string keyId = request.Headers[RequestSignature.KeyIdHeader].ToString();
        string nonce = request.Headers[RequestSignature.NonceHeader].ToString();
        string signature = request.Headers[RequestSignature.SignatureHeader].ToString();
        if (keyId != DeviceId || !long.TryParse(request.Headers[RequestSignature.TimestampHeader].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long ts))
        {
            return false;
        }

        string pathAndQuery = request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        return RequestSignature.Verify(DeviceKey, request.Method, pathAndQuery, ts, nonce, body, signature);
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues v) => v.Count == 0 ? null : v.ToString();

    public static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
