using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Options;

namespace GeoEdge.Host.Configuration;

/// <summary>Loads a device configuration file: JSON, then GEOEDGE__ environment overrides, bound, resolved and validated.</summary>
/// <remarks>
/// Validation happens here, before the host is built, so a bad file stops the service with one message naming the file and
/// every field at fault (and a non-zero exit systemd can report), instead of a stack trace from deep inside host start.
/// </remarks>
public static partial class DeviceConfiguration
{
    /// <summary>The environment prefix: GEOEDGE__PIPELINES__0__SOURCE__RATEHZ=5 overrides pipelines[0].source.rateHz.</summary>
    public const string EnvironmentPrefix = "GEOEDGE__";

    public const string DefaultPath = "/etc/geoedge/device.json";

    /// <param name="path">The JSON file.</param>
    /// <param name="overrides">Keys that replace the environment variables (tests); null reads GEOEDGE__ variables.</param>
    /// <param name="checkFiles">Whether files the config names must exist (false to check another board's config here).</param>
    public static DeviceOptions Load(string path, IDictionary<string, string?>? overrides = null, bool checkFiles = true)
    {
        string file = Path.GetFullPath(path);
        if (!File.Exists(file))
        {
            throw new DeviceConfigException(file, [new DeviceConfigError("$", "the device configuration file does not exist")]);
        }

        IConfigurationRoot config;
        try
        {
            // The default file provider hides dot-files; an operator's ".device.json" is still their config.
            var files = new PhysicalFileProvider(Path.GetDirectoryName(file)!, ExclusionFilters.None);
            var builder = new ConfigurationBuilder().AddJsonFile(files, Path.GetFileName(file), optional: false, reloadOnChange: false);
            builder = overrides is null ? builder.AddEnvironmentVariables(EnvironmentPrefix) : builder.AddInMemoryCollection(overrides);
            config = builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new DeviceConfigException(file, $"not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }

        var options = new DeviceOptions();
        try
        {
            config.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new DeviceConfigException(file, [new DeviceConfigError(FieldOf(e.Message), e.Message)]);
        }

        Resolve(options, Path.GetDirectoryName(file)!);
        var errors = new List<DeviceConfigError>();
        ValidateOptionsResult attributes = new DeviceOptionsValidator().Validate(null, options);
        if (attributes.Failed)
        {
            foreach (string failure in attributes.Failures)
            {
                errors.Add(ToError(failure));
            }
        }

        DeviceOptionsRules.Check(options, errors, checkFiles);
        return errors.Count == 0 ? options : throw new DeviceConfigException(file, errors);
    }

    /// <summary>Relative paths in the file mean "next to the file": configs ship beside the models they name.</summary>
    private static void Resolve(DeviceOptions o, string directory)
    {
        // Defaults for lists live here: the binder appends to a list it finds filled, so the options start empty.
        if (o.Runtime.ExecutionProviders.Count == 0)
        {
            o.Runtime.ExecutionProviders.Add("cpu");
        }

        foreach (PipelineOptions p in o.Pipelines)
        {
            if (p.Sinks.Count == 0)
            {
                p.Sinks.Add("events");
            }
        }

        o.StateDirectory = Full(directory, o.StateDirectory);
        for (int i = 0; i < o.TrustedKeys.Count; i++)
        {
            o.TrustedKeys[i] = Full(directory, o.TrustedKeys[i]);
        }

        foreach (ModelOptions m in o.Models)
        {
            m.Bundle = m.Bundle is null ? null : Full(directory, m.Bundle);
        }

        foreach (PipelineOptions p in o.Pipelines)
        {
            p.Source.Path = p.Source.Path is null ? null : Full(directory, p.Source.Path);
        }

        o.Runtime.OnnxRuntimeLibrary = o.Runtime.OnnxRuntimeLibrary is null ? null : Full(directory, o.Runtime.OnnxRuntimeLibrary);
        o.Events.File = Full(o.StateDirectory, o.Events.File);
        o.Diagnostics.TokenFile = Full(o.StateDirectory, o.Diagnostics.TokenFile);
        if (o.Fleet is { EnrollmentTokenFile: { } tokenFile } fleet)
        {
            fleet.EnrollmentTokenFile = Full(directory, tokenFile);
        }
    }

    private static string Full(string directory, string path) =>
        string.IsNullOrEmpty(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

    /// <summary>The generated validator says "RateHz: The field DeviceOptions.Pipelines[0].Source.RateHz must be between ...";
    /// the operator wants the field as the JSON path <c>pipelines[0].source.rateHz</c>.</summary>
    internal static DeviceConfigError ToError(string failure)
    {
        Match path = GeneratedPath().Match(failure);
        if (!path.Success)
        {
            return new DeviceConfigError("$", failure);
        }

        string field = JsonPath(path.Groups[1].Value);
        string message = failure[(failure.IndexOf(": ", StringComparison.Ordinal) + 2)..]
            .Replace($"The {path.Value} field does not equal any of the values specified in AllowedValuesAttribute", "not one of the allowed values (see device-config.schema.json)", StringComparison.Ordinal)
            .Replace($"The field {path.Value}", "must", StringComparison.Ordinal)
            .Replace("must must", "must", StringComparison.Ordinal)
            .Replace($"The {path.Value} field", "the field", StringComparison.Ordinal)
            .TrimEnd('.');
        return new DeviceConfigError(field, message);
    }

    [GeneratedRegex(@"DeviceOptions\.([A-Za-z0-9_.\[\]]+[A-Za-z0-9_\]])")]
    private static partial Regex GeneratedPath();

    /// <summary>"Pipelines[0].Source.RateHz" → "pipelines[0].source.rateHz"; "pipelines:0:source:rateHz" likewise.</summary>
    internal static string JsonPath(string dotted)
    {
        var sb = new StringBuilder(dotted.Length);
        bool start = true;
        foreach (char c in dotted.Replace(':', '.'))
        {
            sb.Append(start && char.IsUpper(c) ? char.ToLowerInvariant(c) : c);
            start = c is '.' or '[';
        }

        return Regex.Replace(sb.ToString(), @"\.(\d+)(?=\.|$)", "[$1]");
    }

    /// <summary>The binder names the key in its message ("... at 'pipelines:0:source:rateHz' to type ...").</summary>
    private static string FieldOf(string message)
    {
        int at = message.IndexOf(" at '", StringComparison.Ordinal);
        if (at >= 0)
        {
            int end = message.IndexOf('\'', at + 5);
            return JsonPath(message[(at + 5)..end]);
        }

        return "$";
    }
}
