using GeoEdge.Host.Configuration;

namespace GeoEdge.Host.Fleet;

/// <summary>The fleet section's rules that span fields (a token from somewhere, a usable URL), checked after the attributes.</summary>
internal static class FleetOptionsRules
{
    public static void Check(FleetOptions? fleet, List<DeviceConfigError> errors, bool checkFiles)
    {
        if (fleet is null)
        {
            return;
        }

        if (!Uri.TryCreate(fleet.ServerUrl, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(new("fleet.serverUrl", $"'{fleet.ServerUrl}' is not an absolute http:// or https:// URL"));
        }
        else if (fleet.UseClientCertificate && url.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add(new("fleet.useClientCertificate", "a client certificate needs an https:// serverUrl"));
        }
        else if (fleet.UseClientCertificate && fleet.EnrollUrl is null)
        {
            errors.Add(new("fleet.enrollUrl", "required with useClientCertificate: the mutual-TLS device port (serverUrl) refuses a device before enrollment has given it a certificate; give the API port"));
        }

        if (fleet.EnrollUrl is not null && (!Uri.TryCreate(fleet.EnrollUrl, UriKind.Absolute, out Uri? enroll) || (enroll.Scheme != Uri.UriSchemeHttp && enroll.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add(new("fleet.enrollUrl", $"'{fleet.EnrollUrl}' is not an absolute http:// or https:// URL"));
        }

        if (fleet.EnrollmentToken is not null && fleet.EnrollmentTokenFile is not null)
        {
            errors.Add(new("fleet.enrollmentTokenFile", "give enrollmentToken or enrollmentTokenFile, not both"));
        }
        else if (string.IsNullOrEmpty(fleet.EnrollmentToken) && string.IsNullOrEmpty(fleet.EnrollmentTokenFile))
        {
            errors.Add(new("fleet.enrollmentToken", "an enrollmentToken or enrollmentTokenFile is required (the first start enrolls with it)"));
        }
        else if (checkFiles && fleet.EnrollmentTokenFile is { } file && !File.Exists(file))
        {
            errors.Add(new("fleet.enrollmentTokenFile", $"'{file}' does not exist"));
        }
    }
}
