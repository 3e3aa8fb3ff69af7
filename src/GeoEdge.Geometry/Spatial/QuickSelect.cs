namespace GeoEdge.Geometry.Spatial;

/// <summary>Reads one coordinate of a <see cref="PointItem"/>; a type per axis keeps the select loop branch-free.</summary>
internal interface IAxis
{
    static abstract float Of(in PointItem item);
}

internal readonly struct AxisX : IAxis
{
    public static float Of(in PointItem item) => item.X;
}

internal readonly struct AxisY : IAxis
{
    public static float Of(in PointItem item) => item.Y;
}

internal readonly struct AxisZ : IAxis
{
    public static float Of(in PointItem item) => item.Z;
}

/// <summary>Hoare quickselect on (coordinate, index): keys are unique, so equal coordinates cannot unbalance it.</summary>
internal static class QuickSelect
{
    /// <summary>Reorders <paramref name="items"/> so item <paramref name="nth"/> is in sorted place, smaller keys before it.</summary>
    public static void Select<TAxis>(Span<PointItem> items, int nth)
        where TAxis : struct, IAxis
    {
        int lo = 0, hi = items.Length - 1;
        while (hi - lo >= 16)
        {
            int mid = lo + ((hi - lo) / 2);
            if (Less<TAxis>(items[mid], items[lo]))
            {
                (items[mid], items[lo]) = (items[lo], items[mid]);
            }

            if (Less<TAxis>(items[hi], items[lo]))
            {
                (items[hi], items[lo]) = (items[lo], items[hi]);
            }

            if (Less<TAxis>(items[hi], items[mid]))
            {
                (items[hi], items[mid]) = (items[mid], items[hi]);
            }

            PointItem pivot = items[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Less<TAxis>(items[i], pivot))
                {
                    i++;
                }

                while (Less<TAxis>(pivot, items[j]))
                {
                    j--;
                }

                if (i <= j)
                {
                    (items[i], items[j]) = (items[j], items[i]);
                    i++;
                    j--;
                }
            }

            if (nth <= j)
            {
                hi = j;
            }
            else if (nth >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }

        for (int a = lo + 1; a <= hi; a++)
        {
            PointItem item = items[a];
            int b = a - 1;
            while (b >= lo && Less<TAxis>(item, items[b]))
            {
                items[b + 1] = items[b];
                b--;
            }

            items[b + 1] = item;
        }
    }

    private static bool Less<TAxis>(in PointItem a, in PointItem b)
        where TAxis : struct, IAxis
    {
        float ka = TAxis.Of(a), kb = TAxis.Of(b);
        return ka < kb || (ka == kb && a.Index < b.Index);
    }
}
