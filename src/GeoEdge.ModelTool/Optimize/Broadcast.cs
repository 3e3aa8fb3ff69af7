namespace GeoEdge.ModelTool.Optimize;

/// <summary>Numpy-style (multidirectional) broadcasting of ONNX's elementwise ops, on known dims.</summary>
internal static class Broadcast
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>, or null when they do not broadcast. Dims of -1 (unknown) stay unknown unless the other side fixes them.</summary>
    public static long[]? Shape(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var dims = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            long x = d - rank + a.Length >= 0 ? a[d - rank + a.Length] : 1;
            long y = d - rank + b.Length >= 0 ? b[d - rank + b.Length] : 1;
            if (x == y || y == 1)
            {
                dims[d] = x;
            }
            else if (x == 1)
            {
                dims[d] = y;
            }
            else if (x < 0 || y < 0)
            {
                // One side unknown, the other a known dim > 1: the unknown one must be 1 or equal, so the result is known.
                dims[d] = Math.Max(x, y);
            }
            else
            {
                return null;
            }
        }

        return dims;
    }

    /// <summary>The flat index in an input of dims <paramref name="from"/> that output element <paramref name="flat"/> (of dims <paramref name="to"/>) reads.</summary>
    public static int Source(int flat, long[] to, long[] from)
    {
        long source = 0, stride = 1;
        long rest = flat;
        for (int d = to.Length - 1; d >= 0; d--)
        {
            long coordinate = rest % to[d];
            rest /= to[d];
            int fd = d - to.Length + from.Length;
            if (fd >= 0)
            {
                source += (from[fd] == 1 ? 0 : coordinate) * stride;
                stride *= from[fd];
            }
        }

        return (int)source;
    }
}
