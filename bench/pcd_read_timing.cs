#:project ../src/GeoEdge.Geometry/GeoEdge.Geometry.csproj
// Times PcdReader.Read for compare_pcd_read.py: reads a path per stdin line, reads that file once and
// answers "<ms> <points>", so the script can alternate GeoEdge and Open3D reads on a busy machine.
// Run it with `dotnet run -c Release pcd_read_timing.cs`.
using System.Diagnostics;
using GeoEdge.Geometry.IO;

while (Console.ReadLine() is string path && path.Length > 0)
{
    long start = Stopwatch.GetTimestamp();
    int points = PcdReader.Read(path).Cloud.Count;
    Console.WriteLine($"{Stopwatch.GetElapsedTime(start).TotalMilliseconds:F3} {points}");
}
