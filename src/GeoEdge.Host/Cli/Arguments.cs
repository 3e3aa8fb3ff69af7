using System.Globalization;

namespace GeoEdge.Host.Cli;

/// <summary>Positional arguments and --options of one verb, parsed without reflection (AOT-safe).</summary>
internal sealed class Arguments
{
    private readonly List<string> _positional = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Parses <paramref name="args"/>; options named in <paramref name="flags"/> take no value.</summary>
    public static Arguments Parse(ReadOnlySpan<string> args, params string[] flags)
    {
        var result = new Arguments();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                string name = arg;
                string? value = null;
                int eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    name = arg[..eq];
                    value = arg[(eq + 1)..];
                }
                else if (Array.IndexOf(flags, name) < 0)
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new UsageException($"option {name} needs a value");
                    }

                    value = args[++i];
                }

                if (!result._options.TryAdd(name, value))
                {
                    throw new UsageException($"option {name} given twice");
                }
            }
            else
            {
                result._positional.Add(arg);
            }
        }

        return result;
    }

    public bool Has(string option) => _options.ContainsKey(option);

    public string? Get(string option) => _options.GetValueOrDefault(option);

    public int GetInt(string option, int min)
    {
        string text = Get(option) ?? throw new UsageException($"option {option} is required");
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw new UsageException($"option {option} must be an integer >= {min}, got '{text}'");
        }

        return value;
    }

    public double GetPositiveDouble(string option, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || !double.IsFinite(value))
        {
            throw new UsageException($"option {option} must be a positive number, got '{text}'");
        }

        return value;
    }

    /// <summary>Fails on options the verb does not know, so a typo never silently changes nothing.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (string name in _options.Keys)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                throw new UsageException($"unknown option {name}");
            }
        }
    }

    public void ExpectPositional(int count, string usage)
    {
        if (_positional.Count != count)
        {
            throw new UsageException($"expected {count} argument(s): {usage}");
        }
    }
}
