namespace GeoEdge.Host.Fleet;

/// <summary>Where the agent keeps its state: &lt;state&gt;/fleet/ (identity, desired-state record, OTA record, outbox,
/// downloads, metrics queue).</summary>
public sealed class AgentFiles(string stateDirectory)
{
    public string Root { get; } = Path.Combine(stateDirectory, "fleet");

    /// <summary>The device's private key (PKCS#8 PEM, 0600); never leaves the device.</summary>
    public string Key => Path.Combine(Root, "device.key.pem");

    /// <summary>deviceId, certificate and CA from enrollment.</summary>
    public string Identity => Path.Combine(Root, "identity.json");

    /// <summary>The last desired version acted on and its ETag.</summary>
    public string Desired => Path.Combine(Root, "desired.json");

    /// <summary>The OTA transition table's current state and context.</summary>
    public string Ota => Path.Combine(Root, "ota.json");

    public string Outbox => Path.Combine(Root, "outbox");

    public string Downloads => Path.Combine(Root, "downloads");

    public string Metrics => Path.Combine(Root, "metrics");

    /// <summary>The bundle being downloaded (complete once renamed from its .part).</summary>
    public string Bundle(string sha256) => Path.Combine(Downloads, $"{sha256}.geob");
}
