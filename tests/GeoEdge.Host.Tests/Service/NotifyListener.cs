using System.Net.Sockets;
using System.Text;

namespace GeoEdge.Host.Tests.Service;

/// <summary>A real sd_notify receiver: a Unix datagram socket, as systemd binds it, collecting what the service sends.</summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket;
    private readonly string? _file;

    public NotifyListener(bool @abstract = false)
    {
        string name = $"geoedge-notify-{Guid.NewGuid():N}";
        _file = @abstract ? null : System.IO.Path.Combine(System.IO.Path.GetTempPath(), name + ".sock");
        Path = @abstract ? "@" + name : _file!;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(@abstract ? "\0" + name : _file!));
    }

    /// <summary>What NOTIFY_SOCKET must say.</summary>
    public string Path { get; }

    /// <summary>The next datagram, or null when none arrives within <paramref name="timeout"/>.</summary>
    public string? Receive(TimeSpan timeout)
    {
        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        var buffer = new byte[4096];
        try
        {
            int n = _socket.Receive(buffer);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return null;
        }
    }

    /// <summary>Datagrams until one equals <paramref name="wanted"/> (included), or throws after <paramref name="timeout"/>.</summary>
    public List<string> ReceiveUntil(string wanted, TimeSpan timeout)
    {
        var got = new List<string>();
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            string? message = Receive(deadline - DateTime.UtcNow);
            if (message is null)
            {
                break;
            }

            got.Add(message);
            if (message.Split('\n').Contains(wanted))
            {
                return got;
            }
        }

        throw new TimeoutException($"no '{wanted}' within {timeout}; got [{string.Join(" | ", got)}]");
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_file is not null)
        {
            File.Delete(_file);
        }
    }
}
