using System.Globalization;
using GeoEdge.Geometry;
using GeoEdge.Geometry.Filters;
using GeoEdge.Geometry.Graphs;
using GeoEdge.Geometry.IO;
using GeoEdge.Geometry.Sampling;

namespace GeoEdge.Host.Cli;

/// <summary>`geoedge cloud ...`: inspect, convert, downsample, denoise and kNN on point-cloud files.</summary>
internal static class CloudCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, Func<Stream> openStdout)
    {
        if (args.Length == 0)
        {
            throw new UsageException("cloud needs a verb: inspect | convert | downsample | denoise | knn");
        }

        ReadOnlySpan<string> rest = args[1..];
        return args[0] switch
        {
            "inspect" => Inspect(Arguments.Parse(rest, "--json"), stdout, openStdout),
            "convert" => Convert(Arguments.Parse(rest, "--drop-nonfinite")),
            "downsample" => Downsample(Arguments.Parse(rest)),
            "denoise" => Denoise(Arguments.Parse(rest)),
            "knn" => Knn(Arguments.Parse(rest)),
            _ => throw new UsageException($"unknown cloud verb '{args[0]}'"),
        };
    }

    private static int Inspect(Arguments a, TextWriter stdout, Func<Stream> openStdout)
    {
        a.RejectUnknown("--json");
        a.ExpectPositional(1, "cloud inspect FILE [--json]");
        string file = a.Positional[0];
        var inspection = CloudInspection.Of(file, PointCloudReader.Read(file));
        if (a.Has("--json"))
        {
            stdout.Flush();
            Stream stream = openStdout();
            inspection.WriteJson(stream);
            stream.Flush();
        }
        else
        {
            inspection.WriteText(stdout);
        }

        return CommandLine.Ok;
    }

    private static int Convert(Arguments a)
    {
        a.RejectUnknown("--encoding", "--drop-nonfinite");
        a.ExpectPositional(2, "cloud convert IN OUT [--encoding ENCODING] [--drop-nonfinite]");
        string output = a.Positional[1];
        PointCloudEncoding? encoding = null;
        if (a.Get("--encoding") is { } name)
        {
            if (!PointCloudEncodings.TryParse(name, out PointCloudEncoding parsed))
            {
                throw new UsageException($"unknown encoding '{name}' (ascii | binary | binary_compressed | binary_little_endian | binary_big_endian)");
            }

            encoding = parsed;
        }

        PointCloudFile input = PointCloudReader.Read(a.Positional[0]);
        PointCloud cloud = a.Has("--drop-nonfinite") ? input.Cloud.RemoveNonFinite() : input.Cloud;
        Write(output, cloud, encoding ?? SameEncodingIfPossible(input, output));
        return CommandLine.Ok;
    }

    private static int Downsample(Arguments a)
    {
        a.RejectUnknown("--voxel", "--fps", "--seed");
        a.ExpectPositional(2, "cloud downsample IN OUT (--voxel SIZE | --fps COUNT) [--seed N]");
        if (a.Has("--voxel") == a.Has("--fps"))
        {
            throw new UsageException("give exactly one of --voxel SIZE or --fps COUNT");
        }

        PointCloudFile input = PointCloudReader.Read(a.Positional[0]);
        PointCloud result;
        if (a.Get("--voxel") is { } voxel)
        {
            result = GridSampling.Apply(input.Cloud, (float)a.GetPositiveDouble("--voxel", voxel));
        }
        else
        {
            // Without --seed the first sample is point 0, so the same input always gives the same output.
            int count = a.GetInt("--fps", 1);
            bool randomStart = a.Has("--seed");
            int seed = randomStart ? a.GetInt("--seed", 0) : 0;
            PointCloud finite = input.Cloud.RemoveNonFinite();
            result = finite.Select(FarthestPointSampling.Sample(finite, count, randomStart, seed));
        }

        Write(a.Positional[1], result, SameEncodingIfPossible(input, a.Positional[1]));
        return CommandLine.Ok;
    }

    private static int Denoise(Arguments a)
    {
        a.RejectUnknown("--sor");
        a.ExpectPositional(2, "cloud denoise IN OUT --sor K,STD");
        string sor = a.Get("--sor") ?? throw new UsageException("option --sor K,STD is required");
        string[] parts = sor.Split(',');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) || k < 1)
        {
            throw new UsageException($"--sor must be K,STD with K >= 1, got '{sor}'");
        }

        double std = a.GetPositiveDouble("--sor", parts[1]);
        PointCloudFile input = PointCloudReader.Read(a.Positional[0]);
        PointCloud result = StatisticalOutlierRemoval.Apply(input.Cloud.RemoveNonFinite(), k, std);
        Write(a.Positional[1], result, SameEncodingIfPossible(input, a.Positional[1]));
        return CommandLine.Ok;
    }

    private static int Knn(Arguments a)
    {
        a.RejectUnknown("--k", "--out");
        a.ExpectPositional(1, "cloud knn IN --k K --out FILE.npy");
        int k = a.GetInt("--k", 1);
        string output = a.Get("--out") ?? throw new UsageException("option --out FILE.npy is required");
        string file = a.Positional[0];
        PointCloud cloud = PointCloudReader.Read(file).Cloud;
        int finite = cloud.CountFinite();
        if (finite != cloud.Count)
        {
            throw new PointCloudFormatException(file, null, null, $"{cloud.Count - finite} of {cloud.Count} points are not finite; kNN indices would not match the file's point order (write a finite copy with 'geoedge cloud convert IN OUT --drop-nonfinite')");
        }

        NeighbourMatrix neighbours = KnnGraph.Neighbours(cloud, k);
        NpyFile.Write(output, NpyArray.FromInt64(neighbours.Data, neighbours.Count, neighbours.K));
        return CommandLine.Ok;
    }

    private static PointCloudEncoding SameEncodingIfPossible(PointCloudFile input, string output)
    {
        PointCloudFormat format = PointCloudWriter.FormatOf(output);
        return PointCloudWriter.Supports(format, input.Encoding) ? input.Encoding : PointCloudWriter.DefaultEncoding(format);
    }

    private static void Write(string path, PointCloud cloud, PointCloudEncoding encoding)
    {
        PointCloudFormat format = PointCloudWriter.FormatOf(path);
        if (!PointCloudWriter.Supports(format, encoding))
        {
            throw new UsageException($"{path}: {(format == PointCloudFormat.Ply ? "PLY" : "PCD")} cannot be written as {PointCloudEncodings.Name(encoding)}");
        }

        PointCloudWriter.Write(path, cloud, encoding);
    }
}
