using System.Net.Sockets;
using System.Text;

namespace GeoEdge.Host.Service;

/// <summary>sd_notify(3) without libsystemd: datagrams such as <c>READY=1</c> to the socket named by NOTIFY_SOCKET.</summary>
/// <remarks>
/// Written here rather than taken from Microsoft.Extensions.Hosting.Systemd because that notifier is only registered when the
/// parent process is systemd, and the service must also speak the protocol to any supervisor (or test) that sets
/// NOTIFY_SOCKET. A path starting with '@' is a Linux abstract socket. Sending never throws: a supervisor that went away
/// must not take the service down with it.
/// </remarks>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _sendLock = new();
    private bool _ready;

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        string path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endpoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The notifier for this process: NOTIFY_SOCKET from the environment.</summary>
    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool IsEnabled => _socket is not null;

    public int Sent { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Whether READY=1 has been sent (or tried): <see cref="WatchdogHeartbeat"/> holds its pings until then, because the
    /// pipeline loops start before the host reports ready and a supervisor should see READY=1 first.</summary>
    public bool IsReady => Volatile.Read(ref _ready);

    /// <summary>Sends READY=1 with the given extra assignments (e.g. STATUS=...) and releases the watchdog pings.</summary>
    public bool NotifyReady(string assignments)
    {
        bool sent = Notify(string.IsNullOrEmpty(assignments) ? "READY=1" : "READY=1\n" + assignments);
        Volatile.Write(ref _ready, true);
        return sent;
    }

    /// <summary>Sends one notification (several assignments may be joined by newlines); false when it could not be sent.</summary>
    public bool Notify(string state) => Notify(Encoding.UTF8.GetBytes(state));

    public bool Notify(ReadOnlySpan<byte> state)
    {
        if (_socket is null)
        {
            return false;
        }

        lock (_sendLock)
        {
            try
            {
                _socket.SendTo(state, SocketFlags.None, _endpoint!);
                Sent++;
                return true;
            }
            catch (SocketException)
            {
                Failed++;
                return false;
            }
        }
    }

    public void Dispose() => _socket?.Dispose();
}
