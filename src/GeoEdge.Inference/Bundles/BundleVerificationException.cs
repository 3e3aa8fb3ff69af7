namespace GeoEdge.Inference.Bundles;

/// <summary>A bundle failed one verification check; <see cref="Check"/> says which, the message names the bundle and the file or field.</summary>
public sealed class BundleVerificationException : Exception
{
    public BundleVerificationException()
    {
    }

    public BundleVerificationException(string message)
        : base(message)
    {
    }

    public BundleVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BundleVerificationException(BundleCheck check, string bundle, string? subject, string detail, Exception? innerException = null)
        : base(Format(check, bundle, subject, detail), innerException)
    {
        Check = check;
        Bundle = bundle;
        Subject = subject;
    }

    public BundleCheck Check { get; }

    /// <summary>The bundle directory or .geob file that failed.</summary>
    public string Bundle { get; } = string.Empty;

    /// <summary>The file inside the bundle or the JSON path at fault, when there is one.</summary>
    public string? Subject { get; }

    private static string Format(BundleCheck check, string bundle, string? subject, string detail) =>
        subject is null ? $"{bundle}: {check}: {detail}" : $"{bundle}: {check}: {subject}: {detail}";
}
