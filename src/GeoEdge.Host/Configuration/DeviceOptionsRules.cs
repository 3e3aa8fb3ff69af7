using GeoEdge.Inference.Runtime;

namespace GeoEdge.Host.Configuration;

/// <summary>The rules that span fields (names that must match, files that must exist), checked after the attribute rules.</summary>
internal static class DeviceOptionsRules
{
    private static readonly string[] SinkNames = ["events", "log", "alarm"];

    public static void Check(DeviceOptions o, List<DeviceConfigError> errors, bool checkFiles)
    {
        if (o.TrustedKeys.Count == 0)
        {
            errors.Add(new("trustedKeys", "at least one public key is required: nothing runs unsigned"));
        }

        for (int i = 0; i < o.TrustedKeys.Count && checkFiles; i++)
        {
            RequireFile(errors, $"trustedKeys[{i}]", o.TrustedKeys[i]);
        }

        for (int i = 0; i < o.Runtime.ExecutionProviders.Count; i++)
        {
            if (!Enum.TryParse<ExecutionProviderKind>(o.Runtime.ExecutionProviders[i], ignoreCase: true, out _))
            {
                errors.Add(new($"runtime.executionProviders[{i}]", $"'{o.Runtime.ExecutionProviders[i]}' is not one of cpu, cuda, tensorrt"));
            }
        }

        Unique(errors, "models", o.Models.ConvertAll(m => m.Name));
        for (int i = 0; i < o.Models.Count; i++)
        {
            if (checkFiles && o.Models[i].Bundle is { } bundle && !File.Exists(bundle) && !Directory.Exists(bundle))
            {
                errors.Add(new($"models[{i}].bundle", $"'{bundle}' does not exist"));
            }
        }

        Unique(errors, "sensors", o.Sensors.ConvertAll(s => s.Name));
        for (int i = 0; i < o.Sensors.Count; i++)
        {
            CheckSensor(o.Sensors[i], $"sensors[{i}]", errors);
        }

        if (o.Pipelines.Count == 0)
        {
            errors.Add(new("pipelines", "at least one pipeline is required"));
        }

        Unique(errors, "pipelines", o.Pipelines.ConvertAll(p => p.Name));
        for (int i = 0; i < o.Pipelines.Count; i++)
        {
            CheckPipeline(o, o.Pipelines[i], $"pipelines[{i}]", errors, checkFiles);
        }

        GeoEdge.Host.Fleet.FleetOptionsRules.Check(o.Fleet, errors, checkFiles);
    }

    private static void CheckPipeline(DeviceOptions o, PipelineOptions p, string at, List<DeviceConfigError> errors, bool checkFiles)
    {
        if (!o.Models.Exists(m => m.Name == p.Model))
        {
            errors.Add(new($"{at}.model", $"'{p.Model}' is not one of the configured models"));
        }

        SourceOptions s = p.Source;
        switch (s.Kind)
        {
            case "replay" when string.IsNullOrEmpty(s.Path):
                errors.Add(new($"{at}.source.path", "a replay source needs a path (a directory, a PCD/PLY file or a .csv recording)"));
                break;
            case "replay" when checkFiles && !File.Exists(s.Path) && !Directory.Exists(s.Path):
                errors.Add(new($"{at}.source.path", $"'{s.Path}' does not exist"));
                break;
            case "udp" when s.Port is null:
                errors.Add(new($"{at}.source.port", "a udp source needs a port"));
                break;
            case "sensors" when o.Sensors.Count == 0:
                errors.Add(new($"{at}.source.kind", "a sensors source needs at least one entry in sensors"));
                break;
        }

        for (int k = 0; k < p.Sinks.Count; k++)
        {
            if (Array.IndexOf(SinkNames, p.Sinks[k]) < 0)
            {
                errors.Add(new($"{at}.sinks[{k}]", $"'{p.Sinks[k]}' is not one of {string.Join(", ", SinkNames)}"));
            }
            else if (p.Sinks[k] == "alarm" && o.Gpio?.AlarmPin is null)
            {
                errors.Add(new($"{at}.sinks[{k}]", "the alarm sink needs gpio.alarmPin"));
            }
        }
    }

    private static void CheckSensor(SensorOptions s, string at, List<DeviceConfigError> errors)
    {
        string[] channels = s.Kind switch
        {
            "bme280" => ["temperature", "humidity", "pressure"],
            "mpu6050" => ["vibration", "velocity"],
            "ads1115" => ["a0", "a1", "a2", "a3"],
            _ => [],
        };
        if (s.Channels.Count == 0)
        {
            errors.Add(new($"{at}.channels", "map at least one channel to a sensor-graph node"));
        }

        if (s.Kind == "mpu6050" && s.Channels.ContainsKey("velocity") && s.VibrationFrequencyHz is null)
        {
            errors.Add(new($"{at}.vibrationFrequencyHz", "the velocity channel needs the dominant vibration frequency"));
        }

        foreach (string channel in s.Channels.Keys)
        {
            if (channels.Length > 0 && Array.IndexOf(channels, channel) < 0)
            {
                errors.Add(new($"{at}.channels.{channel}", $"a {s.Kind} has no channel '{channel}' (it has {string.Join(", ", channels)})"));
            }
        }
    }

    private static void RequireFile(List<DeviceConfigError> errors, string field, string path)
    {
        if (!File.Exists(path))
        {
            errors.Add(new(field, $"'{path}' does not exist"));
        }
    }

    private static void Unique(List<DeviceConfigError> errors, string list, List<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i]))
            {
                errors.Add(new($"{list}[{i}].name", $"'{names[i]}' is used twice"));
            }
        }
    }
}
