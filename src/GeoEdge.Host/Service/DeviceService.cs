using GeoEdge.Host.Configuration;
using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>`geoedge run`: the device service as one Generic Host: models, pipelines, sinks, systemd and the diagnostics endpoint.</summary>
/// <remarks>The host wires and holds no algorithm: every piece it starts is a type of its own (DESIGN.md).</remarks>
internal static class DeviceService
{
    public static WebApplication Build(DeviceOptions options, string[] args)
    {
        if (options.Runtime.OnnxRuntimeLibrary is { } library)
        {
            OnnxRuntimeLibrary.Use(library);
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.UseUrls(options.Diagnostics.Url);
        AddDevice(builder.Services, options);
        return builder.Build();
    }

    public static void AddDevice(IServiceCollection services, DeviceOptions options)
    {
        Directory.CreateDirectory(options.StateDirectory);
        TimeProvider time = TimeProvider.System;
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(_ => SystemdNotifier.FromEnvironment());
        services.AddSingleton(sp => new WatchdogHeartbeat(sp.GetRequiredService<SystemdNotifier>(), time, WatchdogHeartbeat.TimeoutFromEnvironment()));
        services.AddSingleton(sp => new ModelStore(options.StateDirectory, TrustedKeys.FromPemFiles(options.TrustedKeys), SessionOptions(options.Runtime), sp.GetRequiredService<ILogger<ModelStore>>(), time));
        services.AddSingleton(_ => new MetricsRegistry(new ProcessSampler()));
        services.AddSingleton(_ => new EventRing(options.Events.Capacity));
        services.AddSingleton(_ => new EventLog(options.Events.File, options.Events.MaxFileBytes, options.Events.KeepFiles));
        services.AddSingleton<LogEventSink>();
        services.AddSingleton<PipelineActivity>();
        services.AddSingleton(new ModelBootstrapSummary(options.Models.Count, options.Pipelines.Count));

        // Order matters: hosted services start in registration order, and READY=1 must follow the models.
        services.AddHostedService<ModelBootstrap>();
        foreach (PipelineOptions pipeline in options.Pipelines)
        {
            services.AddSingleton<IHostedService>(sp => Worker(sp, pipeline, time));
        }

        services.AddHostedService<SystemdNotification>();
    }

    private static IHostedService Worker(IServiceProvider sp, PipelineOptions p, TimeProvider time)
    {
        var context = new PipelineContext(
            p.Name,
            p.Model,
            sp.GetRequiredService<ModelStore>().Slot(p.Model),
            Sinks(sp, p),
            sp.GetRequiredService<MetricsRegistry>(),
            sp.GetRequiredService<WatchdogHeartbeat>(),
            sp.GetRequiredService<PipelineActivity>(),
            time,
            SourceFactory.Describe(p.Source),
            TimeSpan.FromSeconds(1 / p.Source.RateHz));
        return SourceFactory.IsSensorSource(p.Source)
            ? new SensorPipelineWorker(context, SourceFactory.Sensors(p.Source, time), sp.GetRequiredService<ILogger<SensorPipelineWorker>>())
            : new CloudPipelineWorker(context, SourceFactory.PointClouds(p.Source, time), sp.GetRequiredService<ILogger<CloudPipelineWorker>>());
    }

    private static EventSinks Sinks(IServiceProvider sp, PipelineOptions p)
    {
        var sinks = new List<IEventSink>();
        foreach (string sink in p.Sinks)
        {
            switch (sink)
            {
                case "events":
                    sinks.Add(sp.GetRequiredService<EventRing>());
                    sinks.Add(sp.GetRequiredService<EventLog>());
                    break;
                case "log":
                    sinks.Add(sp.GetRequiredService<LogEventSink>());
                    break;
            }
        }

        return new EventSinks(sinks);
    }

    private static ModelSessionOptions SessionOptions(RuntimeOptions runtime) => new()
    {
        ProviderPreference = runtime.ExecutionProviders.ConvertAll(p => Enum.Parse<ExecutionProviderKind>(p, ignoreCase: true)),
        IntraOpThreads = runtime.IntraOpThreads,
        InterOpThreads = runtime.InterOpThreads,
    };
}
