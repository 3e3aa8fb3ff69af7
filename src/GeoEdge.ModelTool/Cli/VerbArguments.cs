namespace GeoEdge.ModelTool.Cli;

/// <summary>Positional arguments and --options of one verb, where an option may repeat (--file A --file B); no reflection.</summary>
/// <remarks>Unlike geoedge's Arguments, repeated options are collected instead of refused, because pack takes several
/// --file and verify-bundle several --trusted.</remarks>
internal sealed class VerbArguments
{
    private readonly List<string> _positional = [];
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private VerbArguments()
    {
    }

    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Parses <paramref name="args"/> for a verb that knows <paramref name="valued"/> options (taking a value) and <paramref name="flags"/>.</summary>
    public static VerbArguments Parse(ReadOnlySpan<string> args, string[] valued, string[] flags)
    {
        var result = new VerbArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                result._positional.Add(arg);
                continue;
            }

            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            string name = eq > 0 ? arg[..eq] : arg;
            if (Array.IndexOf(flags, name) >= 0)
            {
                if (eq > 0 || !result._flags.Add(name))
                {
                    throw new UsageException($"flag {name} takes no value and is given once");
                }
            }
            else if (Array.IndexOf(valued, name) >= 0)
            {
                string value = eq > 0 ? arg[(eq + 1)..]
                    : i + 1 < args.Length ? args[++i]
                    : throw new UsageException($"option {name} needs a value");
                AddValue(result._values, name, value);
            }
            else
            {
                throw new UsageException($"unknown option {name}");
            }
        }

        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public IReadOnlyList<string> All(string option) => _values.TryGetValue(option, out List<string>? values) ? values : [];

    /// <summary>The single value of <paramref name="option"/>, or null; giving it twice is a usage error.</summary>
    public string? Single(string option)
    {
        IReadOnlyList<string> values = All(option);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new UsageException($"option {option} given twice"),
        };
    }

    public string Required(string option, string what) =>
        Single(option) ?? throw new UsageException($"option {option} {what} is required");

    public void ExpectPositional(int count, string usage)
    {
        if (_positional.Count != count)
        {
            throw new UsageException($"expected {count} argument(s): {usage}");
        }
    }

    private static void AddValue(Dictionary<string, List<string>> values, string name, string value)
    {
        if (!values.TryGetValue(name, out List<string>? list))
        {
            values[name] = list = [];
        }

        list.Add(value);
    }
}
