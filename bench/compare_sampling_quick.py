#!/usr/bin/python3
"""Side-by-side timing: GeoEdge FPS and grid sampling vs Open3D 0.16 on the same data, in the same run.

Run from the repository root:  /usr/bin/python3 bench/compare_sampling_quick.py
It writes the inputs to bench/data/ (ignored by git), times Open3D's farthest_point_down_sample and
voxel_down_sample (median of REPEATS), runs `dotnet GeoEdge.Benchmarks.dll time-sampling` on the same
files, and prints each time and the ratio Open3D / GeoEdge (above 1 means GeoEdge is faster).
Both FPS runs start at point 0; the script also reports how many chosen points the two share (Open3D
measures distance in double, GeoEdge in float like torch_cluster, so a near-tie may part their ways).
"""
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import open3d as o3d

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data")
DLL = os.path.join(ROOT, "bench", "GeoEdge.Benchmarks", "bin", "Release", "net10.0", "GeoEdge.Benchmarks.dll")
FPS_POINTS, FPS_COUNT = 100_000, 1024
GRID_POINTS, GRID_SIZES = 1_000_000, ["0.05", "0.01"]
REPEATS = int(os.environ.get("REPEATS", "15"))


def timed_ms(fn, repeats):
    """(median, min) of repeats runs after one warm-up; min is the figure least disturbed by other load."""
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def main():
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.default_rng(1)
    fps_xyz = rng.random((FPS_POINTS, 3), dtype=np.float32)
    grid_xyz = rng.random((GRID_POINTS, 3), dtype=np.float32)
    fps_file, grid_file = os.path.join(DATA, "fps_100k.f32"), os.path.join(DATA, "grid_1m.f32")
    fps_xyz.tofile(fps_file)
    grid_xyz.tofile(grid_file)

    subprocess.run(["dotnet", "build", os.path.join(ROOT, "bench", "GeoEdge.Benchmarks"), "-c", "Release", "-nologo", "-v", "q"],
                   check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["dotnet", DLL, "time-sampling", fps_file, str(FPS_COUNT), grid_file, ",".join(GRID_SIZES), str(REPEATS)],
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    ours = {}
    for line in lines:
        fields = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
        if line.startswith("fps_indices"):
            ours_indices = np.array([int(v) for v in line.split()[1].split(",")])
        elif line.startswith("fps default"):
            ours["fps"] = (float(fields["median_ms"]), float(fields["min_ms"]))
        elif line.startswith("grid"):
            ours["grid " + fields["size"]] = ((float(fields["median_ms"]), float(fields["min_ms"])), int(fields["voxels"]))
    print("\n".join(l for l in lines if not l.startswith("fps_indices")))

    fps_pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(fps_xyz.astype(np.float64)))
    grid_pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(grid_xyz.astype(np.float64)))
    o3d_fps = timed_ms(lambda: fps_pcd.farthest_point_down_sample(FPS_COUNT), max(3, REPEATS // 3))
    # Open3D's SelectByIndex returns the chosen points in input order, so compare the sets of points.
    picked = {tuple(p) for p in np.asarray(fps_pcd.farthest_point_down_sample(FPS_COUNT).points)}
    agree = sum(tuple(p) in picked for p in fps_xyz[np.unique(ours_indices)].astype(np.float64))

    print(f"open3d {o3d.__version__}, numpy {np.__version__}, {os.cpu_count()} cpus")
    print(f"FPS {FPS_COUNT} of {FPS_POINTS}: open3d farthest_point_down_sample {describe(o3d_fps)}, "
          f"geoedge {describe(ours['fps'])}, {ratios(o3d_fps, ours['fps'])}; {agree}/{FPS_COUNT} chosen points shared")
    for size in GRID_SIZES:
        o3d_grid = timed_ms(lambda: grid_pcd.voxel_down_sample(float(size)), max(3, REPEATS // 3))
        o3d_voxels = len(grid_pcd.voxel_down_sample(float(size)).points)
        ms, voxels = ours["grid " + size]
        print(f"grid {GRID_POINTS} points, size {size}: open3d voxel_down_sample {describe(o3d_grid)} ({o3d_voxels} voxels), "
              f"geoedge {describe(ms)} ({voxels} voxels), {ratios(o3d_grid, ms)}")


def describe(ms):
    return f"median {ms[0]:.2f} ms / min {ms[1]:.2f} ms"


def ratios(theirs, ours):
    return f"ratio median {theirs[0] / ours[0]:.2f}x / min {theirs[1] / ours[1]:.2f}x"


if __name__ == "__main__":
    sys.exit(main())
