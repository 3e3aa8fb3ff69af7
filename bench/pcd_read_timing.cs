#:project ../src/GeoEdge.Geometry/GeoEdge.Geometry.csproj
#:property Configuration=Release
// Times PcdReader.Read on the files named on the command line for compare_pcd_read.py:
// prints "<file> <median ms>" after a warm-up, one line per file.
using System.Diagnostics;
using GeoEdge.Geometry.IO;

const int Runs = 15;
foreach (string path in args)
{
    long points = 0;
    for (int i = 0; i < 3; i++)
    {
        points += PcdReader.Read(path).Cloud.Count;
    }

    double[] ms = new double[Runs];
    for (int i = 0; i < Runs; i++)
    {
        long start = Stopwatch.GetTimestamp();
        points += PcdReader.Read(path).Cloud.Count;
        ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    Array.Sort(ms);
    Console.WriteLine($"{path} {ms[Runs / 2]:F2} {points}");
}
