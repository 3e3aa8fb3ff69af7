using System.Text;
using GeoEdge.Host.Cli;

namespace GeoEdge.Host.Tests;

/// <summary>Runs the `geoedge` command line in process and captures what it prints.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var raw = new MemoryStream();
        int code = CommandLine.Run(args, stdout, stderr, () => raw);
        string text = stdout.ToString() + Encoding.UTF8.GetString(raw.ToArray());
        return new CliResult(code, text, stderr.ToString());
    }
}

/// <summary>A temporary directory deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("geoedge-test-").FullName;
    }

    public string Path { get; }

    private readonly List<string> _tracked = [];

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A file outside the directory that is deleted with it.</summary>
    public void Track(string file) => _tracked.Add(file);

    public void Dispose()
    {
        foreach (string file in _tracked)
        {
            System.IO.File.Delete(file);
        }

        Directory.Delete(Path, recursive: true);
    }
}
