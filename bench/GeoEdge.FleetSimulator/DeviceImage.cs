using GeoEdge.Host.Models;
using GeoEdge.Inference.Bundles;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.FleetSimulator;

/// <summary>The state directory a device is flashed with: the shipped bundle installed and activated once by the real
/// ModelStore, then copied into every device's state directory (as a factory image would be), so a thousand devices
/// start running the old version without a thousand activations.</summary>
internal sealed class DeviceImage
{
    private readonly string _models;

    private DeviceImage(string models) => _models = models;

    public static async Task<DeviceImage> BuildAsync(string directory, string bundle, TrustedKeys keys, string model, string version)
    {
        using (var store = new ModelStore(directory, keys, null, NullLogger<ModelStore>.Instance, TimeProvider.System))
        {
            await store.InstallAsync(bundle).ConfigureAwait(false);
            ActivationResult result = await store.ActivateAsync(model, version).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"the device image cannot activate {model} {version}: {result.Reason}");
            }
        }

        return new DeviceImage(Path.Combine(directory, "models"));
    }

    /// <summary>Copies the image's models/ into <paramref name="stateDirectory"/> (the lock file stays behind).</summary>
    public void CopyTo(string stateDirectory) => Copy(_models, Path.Combine(stateDirectory, "models"));

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            if (Path.GetFileName(file) != "store.lock")
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (string directory in Directory.GetDirectories(from))
        {
            Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
