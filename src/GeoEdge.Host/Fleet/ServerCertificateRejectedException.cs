namespace GeoEdge.Host.Fleet;

/// <summary>The agent refused the fleet server's TLS certificate (<see cref="ServerCertificatePin"/>): the inner
/// exception of the <see cref="FleetRequestException"/> of a call that got no answer because of it.</summary>
public sealed class ServerCertificateRejectedException : Exception
{
    public ServerCertificateRejectedException()
    {
    }

    public ServerCertificateRejectedException(string message)
        : base(message)
    {
        Reason = message;
    }

    public ServerCertificateRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public ServerCertificateRejectedException(string? subject, string? issuer, string reason, Exception? innerException = null)
        : base($"server certificate '{subject}' (issued by '{issuer}') refused: {reason}", innerException)
    {
        Subject = subject;
        Issuer = issuer;
        Reason = reason;
    }

    /// <summary>The refused certificate's subject, when it had one.</summary>
    public string? Subject { get; }

    /// <summary>Its issuer.</summary>
    public string? Issuer { get; }

    /// <summary>Why: no certificate, a name mismatch, or no chain to the pinned fleet CA.</summary>
    public string? Reason { get; }

    /// <summary>The same refusal with the connection failure it caused as its inner exception.</summary>
    public ServerCertificateRejectedException CausedBy(Exception connectionFailure) => new(Subject, Issuer, Reason ?? Message, connectionFailure);
}
