namespace GeoEdge.Host.Configuration;

/// <summary>One thing wrong in a device configuration: the field (a JSON path such as <c>pipelines[1].source.path</c>) and why.</summary>
public sealed record DeviceConfigError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>A device configuration that cannot be used; every error names the file and the field.</summary>
public sealed class DeviceConfigException : Exception
{
    public DeviceConfigException(string file, IReadOnlyList<DeviceConfigError> errors)
        : base(Format(file, errors))
    {
        File = file;
        Errors = errors;
    }

    public DeviceConfigException(string file, string message, Exception inner)
        : base($"{file}: {message}", inner)
    {
        File = file;
        Errors = [new DeviceConfigError("$", message)];
    }

    public DeviceConfigException()
        : this("(unknown)", [])
    {
    }

    public DeviceConfigException(string message)
        : this("(unknown)", [new DeviceConfigError("$", message)])
    {
    }

    public DeviceConfigException(string message, Exception inner)
        : this("(unknown)", message, inner)
    {
    }

    public string File { get; }

    public IReadOnlyList<DeviceConfigError> Errors { get; }

    private static string Format(string file, IReadOnlyList<DeviceConfigError> errors) => errors.Count == 1
        ? $"{file}: {errors[0]}"
        : $"{file}: {errors.Count} errors:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
}
