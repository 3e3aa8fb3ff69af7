using System.Security.Cryptography;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Cli;

/// <summary>Opens the bundle a verb works on, verified against --trusted keys, the signing key's own public half, or unsigned with --allow-unsigned.</summary>
internal static class BundleArguments
{
    public static ModelBundle Open(string path, VerbArguments a, ECDsa? signingKey = null)
    {
        var trusted = TrustedKeys.FromPemFiles(a.All("--trusted"));
        if (signingKey is not null)
        {
            // A bundle the caller signed with this key is trusted by its own key; others need --trusted.
            trusted.Add(signingKey);
        }

        return ModelBundle.Open(path, trusted, new BundleOpenOptions { AllowUnsigned = a.Has("--allow-unsigned") });
    }
}
