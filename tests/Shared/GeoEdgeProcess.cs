using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GeoEdge.Testing;

/// <summary>A running geoedge child (<see cref="GeoEdgeCommand"/>) with its stdout and stderr collected line by line;
/// stopped with SIGTERM (as systemd does) or SIGKILL (a power cut), and killed on dispose if still running.</summary>
internal sealed partial class GeoEdgeProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _newLine = new(0);

    private GeoEdgeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts `geoedge ARGS` with <paramref name="environment"/> added to the test runner's.</summary>
    public static GeoEdgeProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        new(Process.Start(GeoEdgeCommand.Create(args, environment)) ?? throw new InvalidOperationException("could not start geoedge"));

    /// <summary>Waits until a line containing <paramref name="text"/> has been printed.</summary>
    public string WaitForLine(string text, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (string line in _lines)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !_newLine.Wait(100))
            {
                throw new TimeoutException($"no line with '{text}' within {timeout} (exited: {_process.HasExited}); output:\n{Output}");
            }

            _newLine.Wait(left);
        }
    }

    /// <summary>SIGTERM, as systemd stops a unit.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL: no shutdown code runs (a power cut, the OOM killer); waits until the process is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit(); // the timed wait does not wait for the redirected output to be read to its end
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        _newLine.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _newLine.Release();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
