namespace GeoEdge.FleetServer.Identity;

/// <summary>The enrollment token is unknown, expired or used up (answered 403).</summary>
public sealed class EnrollmentRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EnrollmentRefusedException()
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public EnrollmentRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EnrollmentRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
