namespace GeoEdge.FleetServer.Identity;

/// <summary>An enrollment request the server refuses, naming the field at fault (answered 400, or 403 for the token).</summary>
public sealed class EnrollmentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EnrollmentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EnrollmentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EnrollmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="field"/> with what is wrong with it.</summary>
    public EnrollmentException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
    }

    /// <summary>The request field at fault.</summary>
    public string Field { get; } = string.Empty;
}
