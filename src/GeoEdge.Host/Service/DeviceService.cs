using System.Device.Gpio;
using GeoEdge.Host.Configuration;
using GeoEdge.Host.Diagnostics;
using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Runtime;
using GeoEdge.Sensors.Gpio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Service;

/// <summary>`geoedge run`: the device service as one Generic Host: models, pipelines, sinks, GPIO, systemd and the
/// diagnostics endpoint.</summary>
/// <remarks>The host wires and holds no algorithm: every piece it starts is a type of its own (DESIGN.md).</remarks>
public static class DeviceService
{
    public static IHost Build(DeviceOptions options, DeviceHardware? hardware = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Runtime.OnnxRuntimeLibrary is { } library)
        {
            OnnxRuntimeLibrary.Use(library);
        }

        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = false);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        AddDevice(builder.Services, options, hardware ?? DeviceHardware.Board);
        return builder.Build();
    }

    public static void AddDevice(IServiceCollection services, DeviceOptions options, DeviceHardware hardware)
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
        AddGpio(services, options, hardware, time);

        // Order matters: hosted services start in registration order, and READY=1 must follow the models.
        services.AddHostedService<ModelBootstrap>();
        foreach (PipelineOptions pipeline in options.Pipelines)
        {
            services.AddSingleton<IHostedService>(sp => Worker(sp, options, pipeline, hardware, time));
        }

        if (options.Diagnostics.Enabled)
        {
            AddDiagnostics(services, options, time);
        }

        if (options.Fleet is not null)
        {
            // After the model bootstrap: the agent drives a recovered store.
            services.AddSingleton(new GeoEdge.Host.Fleet.MetricsWindowAggregator(time.GetUtcNow()));
            services.AddHostedService(sp => new GeoEdge.Host.Fleet.FleetAgentService(
                options, sp.GetRequiredService<ModelStore>(), sp.GetRequiredService<GeoEdge.Host.Fleet.MetricsWindowAggregator>(), time, sp.GetRequiredService<ILogger<GeoEdge.Host.Fleet.FleetAgentService>>()));
        }

        services.AddHostedService<SystemdNotification>();
    }

    private static void AddGpio(IServiceCollection services, DeviceOptions options, DeviceHardware hardware, TimeProvider time)
    {
        if (!DeviceHardware.UsesGpio(options))
        {
            return;
        }

        GpioOptions gpio = options.Gpio!;
        services.AddSingleton(_ => hardware.OpenGpio(gpio.Chip));
        if (gpio.AlarmPin is { } alarm)
        {
            services.AddSingleton(sp => new AlarmOutput(sp.GetRequiredService<GpioController>(),
                new AlarmOutputOptions(alarm, gpio.AlarmActiveLow, TimeSpan.FromMilliseconds(gpio.AlarmHoldMs), TimeSpan.FromMilliseconds(gpio.AlarmDebounceMs)), time));
        }

        if (gpio.CaptureTriggerPin is { } trigger)
        {
            // 50 ms: a push button or a relay contact bounces for a few milliseconds; no operator presses twice that fast.
            services.AddSingleton(sp => new CaptureTrigger(sp.GetRequiredService<GpioController>(), new CaptureTriggerOptions(trigger, TimeSpan.FromMilliseconds(50)), time));
        }
    }

    private static void AddDiagnostics(IServiceCollection services, DeviceOptions options, TimeProvider time)
    {
        services.AddSingleton(sp =>
        {
            ModelStore store = sp.GetRequiredService<ModelStore>();
            string? cloudModel = options.Pipelines.Find(p => !SourceFactory.IsSensorSource(p.Source))?.Model;
            var events = new EventSinks(sp.GetRequiredService<EventRing>(), sp.GetRequiredService<EventLog>());
            var diagnostics = new DiagnosticsServices(
                new DeviceState(options, sp.GetRequiredService<PipelineActivity>(), store, time),
                new StoreModelControl(store, sp.GetRequiredService<MetricsRegistry>(), events, time),
                new SlotInferenceGateway(store, cloudModel),
                sp.GetRequiredService<MetricsRegistry>(),
                sp.GetRequiredService<EventRing>(),
                DiagnosticsToken.LoadOrCreate(options.Diagnostics.TokenFile),
                options.Diagnostics,
                time);
            return DiagnosticsServer.Create(diagnostics);
        });
        services.AddHostedService<DiagnosticsHostedService>();
    }

    private static IHostedService Worker(IServiceProvider sp, DeviceOptions options, PipelineOptions p, DeviceHardware hardware, TimeProvider time)
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
            SourceFactory.Describe(p.Source))
        {
            Capture = sp.GetService<CaptureTrigger>(),
            CaptureDirectory = Path.Combine(options.StateDirectory, "captures"),
            Windows = sp.GetService<GeoEdge.Host.Fleet.MetricsWindowAggregator>(),
            Drift = options.Drift,
        };
        return SourceFactory.IsSensorSource(p.Source)
            ? new SensorPipelineWorker(context, SourceFactory.Sensors(p.Source, options.Sensors, hardware, time), sp.GetRequiredService<ILogger<SensorPipelineWorker>>())
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
                case "alarm":
                    sinks.Add(new AlarmEventSink(sp.GetRequiredService<AlarmOutput>()));
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
