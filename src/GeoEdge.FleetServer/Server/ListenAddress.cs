using System.Net;

namespace GeoEdge.FleetServer.Server;

/// <summary>Parses the server's listen URLs ("http://IP:port", "https://IP:port", localhost allowed) into endpoints.</summary>
public static class ListenAddress
{
    /// <summary>The endpoint of <paramref name="url"/>, whose scheme must be <paramref name="scheme"/>; names the option at fault.</summary>
    public static IPEndPoint Parse(string url, string scheme, string option)
    {
        ArgumentNullException.ThrowIfNull(url);
        // ASP.NET's "any address" spellings are not valid URI hosts.
        string normalized = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out Uri? uri) || uri.Scheme != scheme || uri.AbsolutePath != "/")
        {
            throw new ArgumentException($"{option}: '{url}' must be {scheme}://<ip>:<port>", nameof(url));
        }

        string host = uri.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out IPAddress? ip))
        {
            return new IPEndPoint(ip, uri.Port);
        }

        return host is "localhost" ? new IPEndPoint(IPAddress.Loopback, uri.Port)
            : throw new ArgumentException($"{option}: '{url}': host must be an IP address, localhost or *", nameof(url));
    }
}
