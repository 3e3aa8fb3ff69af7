using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GeoEdge.Host.Fleet;

/// <summary>The agent's check of the fleet server's TLS certificate once it is enrolled: it must chain to the fleet CA
/// from enrollment (that CA alone: the system's roots play no part, so a publicly trusted certificate for the same name
/// is refused too) and name the host of the URL. The last refusal is kept so the caller can say why (a callback that
/// returns false only gives an AuthenticationException without a reason).</summary>
public sealed class ServerCertificatePin(X509Certificate2 ca)
{
    private ServerCertificateRejectedException? _lastRejection;

    /// <summary>The pinned CA.</summary>
    public X509Certificate2 Ca { get; } = ca ?? throw new ArgumentNullException(nameof(ca));

    /// <summary>A RemoteCertificateValidationCallback.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string? reason = Check(certificate, errors);
        if (reason is null)
        {
            return true;
        }

        Interlocked.Exchange(ref _lastRejection, new ServerCertificateRejectedException(certificate?.Subject, certificate?.Issuer, reason));
        return false;
    }

    /// <summary>The last refusal, taken (null when none happened since the last call). Connections made at the same time
    /// share it: each would have been refused for its own reason, the last one is reported.</summary>
    public ServerCertificateRejectedException? TakeRejection() => Interlocked.Exchange(ref _lastRejection, null);

    private string? Check(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server presented no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "the certificate does not name the host the agent connected to";
        }

        // RemoteCertificateChainErrors is expected (the system does not know the fleet CA): the chain is built again
        // against the pinned CA alone.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        if (chain.Build(certificate))
        {
            return null;
        }

        string status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return $"the certificate does not chain to the fleet CA '{Ca.Subject}' from enrollment ({status})";
    }
}
