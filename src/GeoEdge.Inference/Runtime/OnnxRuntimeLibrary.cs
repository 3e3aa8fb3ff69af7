using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace GeoEdge.Inference.Runtime;

/// <summary>Points ONNX Runtime's P/Invokes at a chosen libonnxruntime.so (Jetson ships its own CUDA/TensorRT build).</summary>
public static class OnnxRuntimeLibrary
{
    private static readonly Lock Gate = new();
    private static string? _configuredPath;

    /// <summary>The library path in use when one was configured, else null (the copy beside the executable).</summary>
    public static string? ConfiguredPath => _configuredPath;

    /// <summary>Loads ONNX Runtime from <paramref name="path"/>; call before the first session is created, once per process.</summary>
    public static void Use(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (Gate)
        {
            if (_configuredPath is not null)
            {
                if (_configuredPath == path)
                {
                    return;
                }

                throw new InvalidOperationException($"ONNX Runtime is already bound to {_configuredPath}; one process uses one native library");
            }

            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"native ONNX Runtime library not found: {path}", path);
            }

            IntPtr handle = NativeLibrary.Load(path);
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
                name is "onnxruntime" or "libonnxruntime" or "libonnxruntime.so" ? handle : IntPtr.Zero);
            _configuredPath = path;
        }
    }

    /// <summary>The ONNX Runtime version the loaded native library reports.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    internal static Assembly ManagedAssembly => typeof(OrtEnv).Assembly;
}
