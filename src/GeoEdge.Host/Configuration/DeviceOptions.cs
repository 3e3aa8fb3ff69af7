using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GeoEdge.Host.Configuration;

/// <summary>One board's device configuration (device-configs/*.json), bound by the configuration-binding source generator.</summary>
/// <remarks>Relative paths are resolved against the configuration file's directory by <see cref="DeviceConfiguration"/>.</remarks>
public sealed class DeviceOptions
{
    /// <summary>The editor's schema reference ("$schema"); read so that unknown keys can be errors.</summary>
    [ConfigurationKeyName("$schema")]
    public string? Schema { get; set; }

    [Required]
    [ValidateObjectMembers]
    public BoardOptions Board { get; set; } = new();

    [ValidateObjectMembers]
    public RuntimeOptions Runtime { get; set; } = new();

    /// <summary>Where the model store, the event log and the diagnostics token live.</summary>
    [Required(AllowEmptyStrings = false)]
    public string StateDirectory { get; set; } = string.Empty;

    /// <summary>PEM files of the public keys bundle signatures are accepted from; nothing runs unsigned.</summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>Bundles installed and activated at first start when the store has no active version of them.</summary>
    [ValidateEnumeratedItems]
    public List<ModelOptions> Models { get; set; } = [];

    [ValidateEnumeratedItems]
    public List<SensorOptions> Sensors { get; set; } = [];

    [ValidateObjectMembers]
    public GpioOptions? Gpio { get; set; }

    [ValidateEnumeratedItems]
    public List<PipelineOptions> Pipelines { get; set; } = [];

    [ValidateObjectMembers]
    public EventsOptions Events { get; set; } = new();

    /// <summary>When the pipelines publish a <c>drift</c> event (bundles with a drift reference only).</summary>
    [ValidateObjectMembers]
    public DriftOptions Drift { get; set; } = new();

    /// <summary>The local diagnostics endpoint (its options type lives with the endpoint).</summary>
    public GeoEdge.Host.Diagnostics.DiagnosticsOptions Diagnostics { get; set; } = new();

    /// <summary>The fleet agent (its options type lives with the agent); absent = the device runs alone.</summary>
    [ValidateObjectMembers]
    public GeoEdge.Host.Fleet.FleetOptions? Fleet { get; set; }
}

/// <summary>Facts about the board: what the service may expect of it.</summary>
public sealed class BoardOptions
{
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9][a-z0-9-]*$")]
    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    [Required]
    [AllowedValues("x64", "arm64")]
    public string Arch { get; set; } = string.Empty;

    [Range(1, 256)]
    public int Cores { get; set; } = 1;

    [Range(64, 1 << 22)]
    public int MemoryMb { get; set; } = 1024;

    [AllowedValues("none", "gpu", "cuda", "tensorrt", "npu")]
    public string Accelerator { get; set; } = "none";
}

/// <summary>How ONNX Runtime runs on this board, and the service's resource ceiling.</summary>
public sealed class RuntimeOptions
{
    /// <summary>Execution providers in order of preference; the first that loads wins, the CPU provider always loads (default: cpu).</summary>
    public List<string> ExecutionProviders { get; set; } = [];

    /// <summary>A libonnxruntime.so to load instead of the one beside the binary (JetPack's CUDA/TensorRT build).</summary>
    public string? OnnxRuntimeLibrary { get; set; }

    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    [Range(0, 256)]
    public int InterOpThreads { get; set; } = 1;

    /// <summary>systemd MemoryMax for the unit (install.sh writes it into a drop-in).</summary>
    [Range(32, 1 << 22)]
    public int MemoryMaxMb { get; set; } = 256;

    /// <summary>systemd CPUQuota, 100 = one core.</summary>
    [Range(10, 25600)]
    public int CpuQuotaPercent { get; set; } = 100;
}

/// <summary>A model the device runs: its name and the bundle installed when the store has none active.</summary>
public sealed class ModelOptions
{
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9][a-z0-9._-]*$")]
    public string Name { get; set; } = string.Empty;

    /// <summary>A bundle directory or .geob archive; optional when the store (or the fleet) provides the model.</summary>
    public string? Bundle { get; set; }
}

/// <summary>One I2C/SPI sensor and which sensor-graph node each of its channels feeds.</summary>
public sealed class SensorOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = string.Empty;

    [Required]
    [AllowedValues("bme280", "mpu6050", "ads1115")]
    public string Kind { get; set; } = string.Empty;

    [AllowedValues("i2c", "spi")]
    public string Bus { get; set; } = "i2c";

    [Range(0, 255)]
    public int BusId { get; set; } = 1;

    [Range(0x03, 0x77)]
    public int Address { get; set; }

    [Range(10, 3_600_000)]
    public int PeriodMs { get; set; } = 1000;

    /// <summary>Sensor channel (temperature, humidity, pressure, vibration, a0..a3) → node name of the sensor graph.</summary>
    public Dictionary<string, string> Channels { get; set; } = [];

    /// <summary>MPU-6050: the dominant vibration frequency, which turns acceleration RMS into the velocity RMS (mm/s) the
    /// "velocity" channel reports (exact for vibration at that frequency; ISO 10816 sensors assume the same).</summary>
    [Range(0.1, 10_000)]
    public double? VibrationFrequencyHz { get; set; }

    /// <summary>Analog channels: node value = scale × volts + offset.</summary>
    public Dictionary<string, double> Scale { get; set; } = [];

    public Dictionary<string, double> Offset { get; set; } = [];
}

/// <summary>GPIO lines of the board: the alarm output and the capture trigger input.</summary>
public sealed class GpioOptions
{
    [Range(0, 16)]
    public int Chip { get; set; }

    [Range(0, 1023)]
    public int? AlarmPin { get; set; }

    public bool AlarmActiveLow { get; set; }

    [Range(0, 3_600_000)]
    public int AlarmHoldMs { get; set; } = 2000;

    [Range(0, 60_000)]
    public int AlarmDebounceMs { get; set; } = 200;

    [Range(0, 1023)]
    public int? CaptureTriggerPin { get; set; }
}

/// <summary>One pipeline: a source feeding a model, and where its results go.</summary>
public sealed class PipelineOptions
{
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9][a-z0-9_-]*$")]
    public string Name { get; set; } = string.Empty;

    /// <summary>A name from <see cref="DeviceOptions.Models"/>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = string.Empty;

    [Required]
    [ValidateObjectMembers]
    public SourceOptions Source { get; set; } = new();

    /// <summary>events (ring + JSON-lines log), log (the service log), alarm (the GPIO alarm pin); default: events.</summary>
    public List<string> Sinks { get; set; } = [];
}

/// <summary>Where a pipeline's inputs come from.</summary>
public sealed class SourceOptions
{
    /// <summary>replay (PCD/PLY files or a CSV sensor recording), udp (the GeoEdge UDP point stream), sensors (the I2C sensors).</summary>
    [Required]
    [AllowedValues("replay", "udp", "sensors")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>Replay: a directory of PCD/PLY files, one such file, or a .csv sensor recording.</summary>
    public string? Path { get; set; }

    /// <summary>Frames (or CSV rows) per second.</summary>
    [Range(0.001, 10_000)]
    public double RateHz { get; set; } = 1;

    public bool Loop { get; set; } = true;

    [Range(1, 65535)]
    public int? Port { get; set; }

    public string Address { get; set; } = "127.0.0.1";
}

/// <summary>Input drift events: the threshold a pipeline's running drift score must reach, after how many inputs.</summary>
public sealed class DriftOptions
{
    /// <summary>Publish a <c>drift</c> event when a pipeline's running drift score reaches <see cref="Threshold"/>.</summary>
    public bool Events { get; set; } = true;

    /// <summary>The score (largest standardized mean shift, in reference standard deviations) that counts as drifted.</summary>
    [Range(0.1, 10.0)]
    public double Threshold { get; set; } = GeoEdge.Inference.Pipelines.DriftScore.DefaultThreshold;

    /// <summary>Inputs a model version must have seen before its score may raise an event (a few inputs are too noisy to judge).</summary>
    [Range(1, 1_000_000)]
    public int MinInputs { get; set; } = 30;
}

/// <summary>The events sink: a ring of recent results and an append-only JSON-lines log with rotation.</summary>
public sealed class EventsOptions
{
    [Range(1, 1_000_000)]
    public int Capacity { get; set; } = 256;

    [Required(AllowEmptyStrings = false)]
    public string File { get; set; } = "events.jsonl";

    [Range(4096, 1L << 40)]
    public long MaxFileBytes { get; set; } = 10L << 20;

    [Range(0, 100)]
    public int KeepFiles { get; set; } = 5;
}

/// <summary>Source-generated validation of the attributes above (no reflection: the device executable is Native AOT).</summary>
[OptionsValidator]
public sealed partial class DeviceOptionsValidator : IValidateOptions<DeviceOptions>;
