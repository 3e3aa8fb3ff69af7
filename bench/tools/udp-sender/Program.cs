using System.Globalization;
using System.Net;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Sensors.Udp;

namespace GeoEdge.Tools.UdpSender;

/// <summary>udp-sender FILE... [--host H] [--port P] [--rate HZ] [--frames N] [--loss P] [--seed S] [--no-intensity]</summary>
internal static class Program
{
    private const string Usage =
        "usage: udp-sender FILE... [--host 127.0.0.1] [--port 5601] [--rate 2] [--frames N (0 = forever, default one per file)] " +
        "[--loss 0..1] [--seed 1] [--no-intensity]";

    public static async Task<int> Main(string[] args)
    {
        var files = new List<string>();
        string host = "127.0.0.1";
        int port = 5601;
        double rate = 2;
        long? frames = null;
        double loss = 0;
        int seed = 1;
        bool intensity = true;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--host": host = Value(); break;
                    case "--port": port = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--rate": rate = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--frames": frames = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--loss": loss = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--no-intensity": intensity = false; break;
                    case "-h" or "--help": Console.WriteLine(Usage); return 0;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal))
                        {
                            throw new FormatException($"unknown option {args[i]}");
                        }

                        files.Add(args[i]);
                        break;
                }
            }

            if (files.Count == 0 || !(rate > 0))
            {
                throw new FormatException("give at least one file and a positive --rate");
            }
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"udp-sender: {e.Message}\n{Usage}");
            return 2;
        }

        var clouds = new List<PointCloud>();
        foreach (string file in files)
        {
            clouds.Add(PointCloudReader.Read(file).Cloud);
        }

        IPAddress address = IPAddress.TryParse(host, out IPAddress? parsed) ? parsed : (await Dns.GetHostAddressesAsync(host))[0];
        using var sender = new UdpPointSender(new IPEndPoint(address, port), loss, seed);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        long total = frames ?? clouds.Count;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate));
        try
        {
            for (long n = 0; total == 0 || n < total; n++)
            {
                await sender.SendFrameAsync((uint)n, clouds[(int)(n % clouds.Count)], intensity, cancel.Token);
                if (total == 0 || n + 1 < total)
                {
                    await timer.WaitForNextTickAsync(cancel.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine($"sent {sender.PacketsSent} packets, dropped {sender.PacketsDropped} on purpose");
        return 0;
    }
}
