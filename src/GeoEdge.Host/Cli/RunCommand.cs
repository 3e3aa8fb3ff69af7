using GeoEdge.Host.Configuration;
using GeoEdge.Host.Service;
using Microsoft.Extensions.Hosting;

namespace GeoEdge.Host.Cli;

/// <summary>`geoedge run [--config FILE]`: the device service until SIGTERM (the default verb).</summary>
internal static class RunCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stderr)
    {
        string config = Environment.GetEnvironmentVariable("GEOEDGE_CONFIG") ?? DeviceConfiguration.DefaultPath;
        for (int i = 0; i < args.Length; i++)
        {
            config = args[i] switch
            {
                "--config" when i + 1 < args.Length => args[++i],
                _ => throw new UsageException($"run: unexpected argument '{args[i]}' (usage: geoedge run [--config FILE])"),
            };
        }

        DeviceOptions options;
        try
        {
            options = DeviceConfiguration.Load(config);
        }
        catch (DeviceConfigException e)
        {
            stderr.WriteLine($"geoedge: {e.Message}");
            return CommandLine.Failure;
        }

        try
        {
            using IHost host = DeviceService.Build(options);
            host.Run();
            return CommandLine.Ok;
        }
        catch (DeviceStartException e)
        {
            stderr.WriteLine($"geoedge: cannot start: {e.Message}");
            return CommandLine.Failure;
        }
    }
}
