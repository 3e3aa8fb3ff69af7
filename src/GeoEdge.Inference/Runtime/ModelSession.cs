using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GeoEdge.Inference.Runtime;

/// <summary>An ONNX model loaded into ONNX Runtime with fixed-shape buffers pre-allocated per concurrent caller.</summary>
/// <remarks>
/// Ownership: the session owns the native InferenceSession and every buffer. <see cref="Rent"/> hands
/// one caller a set of buffers; after warm-up an inference allocates nothing managed. Dispose the
/// session only after every lease has been returned (the model store drains callers before it does).
/// </remarks>
public sealed class ModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSlot[] _slots;
    private readonly Stack<InferenceSlot> _free;
    private readonly SemaphoreSlim _available;
    private readonly Lock _gate = new();
    private bool _disposed;

    private ModelSession(
        InferenceSession session,
        SessionOptions sessionOptions,
        InferenceSlot[] slots,
        ExecutionProviderChoice providers,
        TensorDescription[] inputs,
        TensorDescription[] outputs)
    {
        _session = session;
        _sessionOptions = sessionOptions;
        _slots = slots;
        _free = new Stack<InferenceSlot>(slots);
        _available = new SemaphoreSlim(slots.Length, slots.Length);
        Providers = providers;
        Inputs = inputs;
        Outputs = outputs;
    }

    public IReadOnlyList<TensorDescription> Inputs { get; }

    public IReadOnlyList<TensorDescription> Outputs { get; }

    public ExecutionProviderChoice Providers { get; }

    /// <summary>Time from the start of <see cref="Load"/> to warmed up.</summary>
    public TimeSpan LoadTime { get; private set; }

    public int InputIndex(string name) => IndexOf(Inputs, name);

    public int OutputIndex(string name) => IndexOf(Outputs, name);

    public static ModelSession Load(string modelPath, ModelSessionOptions? options = null)
    {
        options ??= new ModelSessionOptions();
        long start = Stopwatch.GetTimestamp();
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            GraphOptimizationLevel = options.OptimizationLevel,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        InferenceSession? session = null;
        var slots = new List<InferenceSlot>();
        try
        {
            ExecutionProviderChoice providers = ProviderSelector.Apply(sessionOptions, options.ProviderPreference);
            (TensorDescription[] inputs, Dictionary<string, long> bound) = ProbeInputs(modelPath, options);
            FreeDimensions.Apply(sessionOptions, bound);
            session = CreateSession(modelPath, sessionOptions, options, FreeDimensions.Describe(bound));
            TensorDescription[] outputs = DescribeOutputs(session, inputs, options.ShapeProbeInputs);
            for (int s = 0; s < Math.Max(1, options.MaxConcurrency); s++)
            {
                slots.Add(new InferenceSlot(session, Allocate(inputs), Allocate(outputs)));
            }

            foreach (InferenceSlot slot in slots)
            {
                for (int w = 0; w < options.WarmupRuns; w++)
                {
                    slot.Run();
                }
            }

            return new ModelSession(session, sessionOptions, [.. slots], providers, inputs, outputs)
            {
                LoadTime = Stopwatch.GetElapsedTime(start),
            };
        }
        catch
        {
            foreach (InferenceSlot slot in slots)
            {
                slot.Dispose();
            }

            session?.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>Waits for a free set of buffers and hands it to the caller until the lease is disposed.</summary>
    public InferenceLease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _available.Wait();
        lock (_gate)
        {
            return new InferenceLease(this, _free.Pop());
        }
    }

    internal void Return(InferenceSlot slot)
    {
        lock (_gate)
        {
            _free.Push(slot);
        }

        _available.Release();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (InferenceSlot slot in _slots)
        {
            slot.Dispose();
        }

        _session.Dispose();
        _sessionOptions.Dispose();
        _available.Dispose();
    }

    // The input metadata (and so the symbolic dimensions to bind) is only known from a loaded model, and overrides must be
    // set before the real session is created: an unoptimized, single-threaded session reads it first.
    private static (TensorDescription[] Inputs, Dictionary<string, long> Bound) ProbeInputs(string modelPath, ModelSessionOptions options)
    {
        using var probeOptions = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
        };
        using var probe = new InferenceSession(modelPath, probeOptions);
        TensorDescription[] inputs = DescribeInputs(probe, options);
        return (inputs, FreeDimensions.Bind(probe.InputMetadata, inputs));
    }

    private static InferenceSession CreateSession(string modelPath, SessionOptions sessionOptions, ModelSessionOptions options, string boundDimensions)
    {
        if (options.OptimizedModelCachePath is not { } cacheDirectory)
        {
            return new InferenceSession(modelPath, sessionOptions);
        }

        // The cache is keyed by the model's bytes and the optimization level, so a new model never
        // runs an old optimized graph.
        Directory.CreateDirectory(cacheDirectory);
        string key = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelPath)))[..24];
        // The optimized graph is specialised to the bound dimensions, so they are part of the key too.
        string bound = boundDimensions.Length == 0 ? string.Empty : "." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(boundDimensions)))[..8];
        string cached = Path.Combine(cacheDirectory, $"{key}.{options.OptimizationLevel}{bound}.ort.onnx");
        if (File.Exists(cached))
        {
            return new InferenceSession(cached, sessionOptions);
        }

        sessionOptions.OptimizedModelFilePath = cached;
        return new InferenceSession(modelPath, sessionOptions);
    }

    private static TensorDescription[] DescribeInputs(InferenceSession session, ModelSessionOptions options)
    {
        var inputs = new List<TensorDescription>();
        foreach (KeyValuePair<string, NodeMetadata> entry in session.InputMetadata)
        {
            long[] shape;
            if (options.InputShapes.TryGetValue(entry.Key, out long[]? given))
            {
                shape = given;
                CheckCompatible(entry.Key, entry.Value.Dimensions, shape);
            }
            else
            {
                // Symbolic dimensions (a dynamic batch) default to 1: the device runs one example at a time.
                shape = new long[entry.Value.Dimensions.Length];
                for (int d = 0; d < shape.Length; d++)
                {
                    shape[d] = entry.Value.Dimensions[d] < 0 ? 1 : entry.Value.Dimensions[d];
                }
            }

            inputs.Add(new TensorDescription(entry.Key, entry.Value.ElementDataType, shape));
        }

        return [.. inputs];
    }

    // Output shapes can depend on input shapes, so they are read from one run on zeroed (or given) inputs.
    private static TensorDescription[] DescribeOutputs(InferenceSession session, TensorDescription[] inputs, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values)
    {
        TensorBuffer[] probe = Allocate(inputs);
        try
        {
            var feeds = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
            foreach (TensorBuffer b in probe)
            {
                feeds[b.Name] = b.Value;
                if (values.TryGetValue(b.Name, out ReadOnlyMemory<byte> given))
                {
                    Span<byte> target = b.AsBytes();
                    if (given.Length != target.Length)
                    {
                        throw new ArgumentException($"probe value for input '{b.Name}' has {given.Length} bytes, its buffer {target.Length}");
                    }

                    given.Span.CopyTo(target);
                }
            }

            var names = new List<string>(session.OutputMetadata.Keys);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, feeds, names);
            var outputs = new TensorDescription[names.Count];
            int i = 0;
            foreach (OrtValue value in results)
            {
                OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
                outputs[i] = new TensorDescription(names[i], info.ElementDataType, info.Shape);
                i++;
            }

            return outputs;
        }
        finally
        {
            foreach (TensorBuffer b in probe)
            {
                b.Dispose();
            }
        }
    }

    private static TensorBuffer[] Allocate(TensorDescription[] descriptions)
    {
        var buffers = new TensorBuffer[descriptions.Length];
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i] = TensorBuffer.Create(descriptions[i].Name, descriptions[i].ElementType, descriptions[i].Shape);
        }

        return buffers;
    }

    private static void CheckCompatible(string name, int[] declared, long[] given)
    {
        if (declared.Length != given.Length)
        {
            throw new ArgumentException($"input '{name}' has rank {declared.Length}, configured shape has rank {given.Length}");
        }

        for (int d = 0; d < declared.Length; d++)
        {
            if (declared[d] >= 0 && declared[d] != given[d])
            {
                throw new ArgumentException($"input '{name}' dimension {d} is fixed at {declared[d]}, configured {given[d]}");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<TensorDescription> list, string name)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Name == name)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"model has no tensor named '{name}'");
    }
}
