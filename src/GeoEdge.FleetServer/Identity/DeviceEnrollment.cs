using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Identity;

/// <summary>Turns an enrollment request into a device: token redeemed, CSR verified, certificate issued, device stored — one transaction.</summary>
public sealed class DeviceEnrollment
{
    private readonly FleetStore _store;
    private readonly FleetCertificateAuthority _ca;
    private readonly int _pollAfterSeconds;

    /// <summary>Creates the enrollment service.</summary>
    public DeviceEnrollment(FleetStore store, FleetCertificateAuthority ca, int pollAfterSeconds)
    {
        _store = store;
        _ca = ca;
        _pollAfterSeconds = pollAfterSeconds;
    }

    /// <summary>Enrolls (or re-enrolls, same hwId → same deviceId) a device; throws <see cref="EnrollmentException"/>
    /// for a malformed request and <see cref="EnrollmentRefusedException"/> for a token that is unknown, expired or used up.</summary>
    public async Task<EnrollResponse> EnrollAsync(EnrollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireText(request.HwId, "hwId", 256);
        RequireText(request.EnrollmentToken, "enrollmentToken", 512);
        if (request.Identity is null)
        {
            throw new EnrollmentException("identity", "is missing");
        }

        RequireText(request.Identity.Board, "identity.board", 128);
        RequireText(request.Identity.AgentVersion, "identity.agentVersion", 64);
        // Before the token is spent: a bad CSR must not use up one of the token's uses.
        PublicKey publicKey = CertificateSigningRequest.VerifiedPublicKey(request.CsrPem);
        try
        {
            return await EnrollOnceAsync(request, publicKey, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (_store.Database.Dialect.IsUniqueViolation(e))
        {
            // The same hwId enrolling twice at once: both saw no device and one insert lost on hw_id. The loser's
            // transaction (token use included) rolled back; run it again and it finds the winner's deviceId.
            return await EnrollOnceAsync(request, publicKey, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<EnrollResponse> EnrollOnceAsync(EnrollRequest request, PublicKey publicKey, CancellationToken cancellationToken)
    {
        return await _store.Database.InTransactionAsync(async (session, ct) =>
        {
            TokenRedemption redemption = await _store.EnrollmentTokens.RedeemAsync(session, request.EnrollmentToken, ct).ConfigureAwait(false);
            if (redemption.Fleet is null)
            {
                throw new EnrollmentRefusedException(redemption.Refusal ?? "enrollment token refused");
            }

            List<string> existing = await DeviceStore.FindIdByHwIdAsync(session, request.HwId, ct).ConfigureAwait(false);
            string deviceId = existing.Count > 0 ? existing[0] : NewDeviceId();
            using X509Certificate2 certificate = _ca.IssueDeviceCertificate(deviceId, publicKey);
            string certificatePem = certificate.ExportCertificatePem();
            await _store.Devices.SaveEnrollmentAsync(session, deviceId, request.HwId, redemption.Fleet, request.Identity, certificatePem, ct).ConfigureAwait(false);
            return new EnrollResponse(deviceId, certificatePem, _ca.CertificatePem, _pollAfterSeconds);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string NewDeviceId() => "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private static void RequireText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new EnrollmentException(field, "is missing or empty");
        }

        if (value.Length > maxLength)
        {
            throw new EnrollmentException(field, $"is longer than {maxLength} characters");
        }
    }
}
