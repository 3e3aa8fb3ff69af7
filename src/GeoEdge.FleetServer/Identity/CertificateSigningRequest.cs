using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GeoEdge.FleetServer.Identity;

/// <summary>Checks a device's PKCS#10 request: well-formed PEM, a valid self-signature (it holds the key) and an ECDSA P-256 key.</summary>
public static class CertificateSigningRequest
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The request's public key, or throws <see cref="EnrollmentException"/> saying what is wrong with it.</summary>
    public static PublicKey VerifiedPublicKey(string csrPem)
    {
        if (string.IsNullOrWhiteSpace(csrPem))
        {
            throw new EnrollmentException("csrPem", "is empty");
        }

        CertificateRequest request;
        try
        {
            // Default options verify the self-signature: a request the device could not have signed is refused here.
            request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException e)
        {
            throw new EnrollmentException("csrPem", $"is not a PKCS#10 request with a valid self-signature ({e.Message})");
        }
        catch (ArgumentException e)
        {
            throw new EnrollmentException("csrPem", $"holds no CERTIFICATE REQUEST PEM block ({e.Message})");
        }

        using ECDsa? key = request.PublicKey.GetECDsaPublicKey();
        if (key is null)
        {
            throw new EnrollmentException("csrPem", $"key algorithm {request.PublicKey.Oid.Value} is not ECDSA (P-256 required)");
        }

        ECParameters parameters = key.ExportParameters(false);
        if (parameters.Curve.Oid.Value != P256Oid && parameters.Curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256"))
        {
            throw new EnrollmentException("csrPem", $"curve {parameters.Curve.Oid.FriendlyName ?? parameters.Curve.Oid.Value} is not P-256");
        }

        return request.PublicKey;
    }
}
