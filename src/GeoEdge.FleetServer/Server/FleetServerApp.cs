using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Dashboard;
using GeoEdge.FleetServer.Devices;
using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Metrics;
using GeoEdge.FleetServer.Registry;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Storage;
using GeoEdge.Geometry.IO;
using GeoEdge.Inference.Bundles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GeoEdge.FleetServer.Server;

/// <summary>The fleet server's composition root: storage, CA, registry, auth and routes on Kestrel (the operator/signature
/// port and the mutual-TLS device port). Program.cs and the tests start the same thing.</summary>
public sealed class FleetServerApp : IAsyncDisposable
{
    /// <summary>The file the bootstrap admin token is written to on first start (mode 0600; delete it once copied).</summary>
    public const string BootstrapTokenFileName = "bootstrap-admin.token";

    private readonly WebApplication _app;

    private FleetServerApp(WebApplication app, FleetStore store, FleetCertificateAuthority ca, string? bootstrapToken)
    {
        _app = app;
        Store = store;
        CertificateAuthority = ca;
        BootstrapAdminToken = bootstrapToken;
    }

    /// <summary>The storage (for tests and tools that act on the same database).</summary>
    public FleetStore Store { get; }

    /// <summary>The fleet CA.</summary>
    public FleetCertificateAuthority CertificateAuthority { get; }

    /// <summary>The admin token created at this start because the database had no operator token; null otherwise.</summary>
    public string? BootstrapAdminToken { get; }

    /// <summary>The operator / signed-device address (after start).</summary>
    public Uri? ApiAddress { get; private set; }

    /// <summary>The mutual-TLS device address (after start), or null without a device port.</summary>
    public Uri? DeviceAddress { get; private set; }

    /// <summary>The application's services (what other components resolve).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Validates the options, opens and migrates storage, loads or creates the CA, creates the bootstrap admin
    /// token on a fresh database, and builds the app (nothing listens until <see cref="StartAsync"/>).</summary>
    public static async Task<FleetServerApp> CreateAsync(FleetServerOptions options, TimeProvider? time = null, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptionsResult validation = new FleetServerOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException("fleet", typeof(FleetServerOptions), validation.Failures);
        }

        time ??= TimeProvider.System;
        string data = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(data);
        List<IPEndPoint> api = [];
        foreach (string url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            api.Add(ListenAddress.Parse(url, Uri.UriSchemeHttp, "urls"));
        }

        IPEndPoint? device = options.DeviceUrl is { Length: > 0 } deviceUrl ? ListenAddress.Parse(deviceUrl, Uri.UriSchemeHttps, "deviceUrl") : null;
        TrustedKeys trustedKeys = TrustedKeys.FromPemFiles(options.TrustedKeyFiles);

        FleetDatabase database = options.PostgresConnectionString is { Length: > 0 } pg
            ? FleetDatabase.OpenPostgres(pg)
            : FleetDatabase.OpenSqlite(Path.Combine(data, FleetDatabase.SqliteFileName));
        FleetStore store = await FleetStore.OpenAsync(database, time, cancellationToken).ConfigureAwait(false);
        FleetCertificateAuthority ca = FleetCertificateAuthority.LoadOrCreate(data, time);
        string? bootstrap = await BootstrapAdminTokenAsync(store, data, cancellationToken).ConfigureAwait(false);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "geoedge-fleet",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        if (logging is not null)
        {
            builder.Logging.ClearProviders();
            logging(builder.Logging);
        }

        X509Certificate2? deviceCertificate = device is null ? null : ca.IssueServerCertificate(DeviceTlsNames(options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBundleBytes + (1 << 20);
            foreach (IPEndPoint endpoint in api)
            {
                kestrel.Listen(endpoint);
            }

            if (device is not null)
            {
                kestrel.Listen(device, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = deviceCertificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    // Only certificates our CA issued; the system's roots play no part.
                    ClientCertificateValidation = (certificate, _, _) => ca.IsIssuedByThisCa(certificate),
                }));
            }
        });

        IServiceCollection services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, FleetJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, ServerJsonContext.Default);
        });
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(store);
        services.AddSingleton(ca);
        services.AddSingleton(trustedKeys);
        services.AddSingleton<IBlobStore>(new DirectoryBlobStore(Path.Combine(data, "blobs")));
        services.AddSingleton(new PollThrottle(time, TimeSpan.FromSeconds(options.MinPollIntervalSeconds)));
        services.AddSingleton(new DeviceEnrollment(store, ca, options.PollAfterSeconds));
        services.AddSingleton(new DeviceAuthenticator(store, ca, TimeSpan.FromSeconds(options.SignatureSkewSeconds), options.MaxSignedBodyBytes));
        services.AddSingleton(new OperatorAuthenticator(store));
        services.AddSingleton(sp => new ModelRegistry(store, sp.GetRequiredService<IBlobStore>(), trustedKeys, options.MaxBundleBytes,
            sp.GetRequiredService<ILogger<ModelRegistry>>()));
        AddFeatureServices(services);

        WebApplication app = builder.Build();
        app.UseMiddleware<ProblemExceptionMiddleware>();
        app.UseRouting();
        app.UseMiddleware<RequestCountingMiddleware>();
        app.UseMiddleware<FleetAuthenticationMiddleware>();
        EnrollmentEndpoints.Map(app);
        RegistryEndpoints.Map(app);
        DeviceEndpoints.Map(app);
        MapFeatureEndpoints(app);
        ILogger logger = app.Services.GetRequiredService<ILogger<FleetServerApp>>();
        Log.StorageReady(logger, database.Dialect.Name, database.Description, await SchemaMigrator.CurrentVersionAsync(database, cancellationToken).ConfigureAwait(false));
        if (bootstrap is not null)
        {
            Log.BootstrapToken(logger, Path.Combine(data, BootstrapTokenFileName), bootstrap);
        }

        return new FleetServerApp(app, store, ca, bootstrap);
    }

    /// <summary>Starts listening; fills <see cref="ApiAddress"/> and <see cref="DeviceAddress"/> with the bound ports.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (string address in _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
        {
            var uri = new Uri(address);
            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                DeviceAddress ??= uri;
                Log.DevicePort(_app.Services.GetRequiredService<ILogger<FleetServerApp>>(), address);
            }
            else
            {
                ApiAddress ??= uri;
            }
        }
    }

    /// <summary>Runs until the host is stopped (Ctrl+C / SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops listening.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        CertificateAuthority.Dispose();
    }

    // Other fleet components (rollouts, actions, metrics, dashboard) add their services and routes here, one line each.
    private static void AddFeatureServices(IServiceCollection services)
    {
        services.AddSingleton<RequestCounter>();
        services.AddHostedService(sp => new RolloutEvaluator(sp.GetRequiredService<FleetStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RolloutEvaluator>>()));
    }

    private static void MapFeatureEndpoints(WebApplication app)
    {
        RolloutEndpoints.Map(app);
        ActionEndpoints.Map(app);
        MetricsEndpoints.Map(app);
        DashboardEndpoints.Map(app);
    }

    private static List<string> DeviceTlsNames(FleetServerOptions options)
    {
        var names = new List<string> { "localhost", "127.0.0.1", Dns.GetHostName() };
        foreach (string name in options.DeviceTlsNames)
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>On a database without operator tokens, creates an admin token, writes it to the data directory (0600) and
    /// logs it once: the way the first operator gets in (it then creates the other tokens through the API or the CLI).</summary>
    private static async Task<string?> BootstrapAdminTokenAsync(FleetStore store, string data, CancellationToken cancellationToken)
    {
        if (await store.OperatorTokens.CountAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return null;
        }

        (_, string secret) = await store.OperatorTokens.CreateAsync("bootstrap-admin", OperatorRole.Admin, cancellationToken).ConfigureAwait(false);
        AtomicFile.Write(Path.Combine(data, BootstrapTokenFileName), stream =>
        {
            if (stream is FileStream file && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(Encoding.ASCII.GetBytes(secret + "\n"));
        });
        return secret;
    }
}
