#!/usr/bin/python3
"""Times Open3D 0.16's read_point_cloud and GeoEdge's PcdReader on the same 1M-point PCD files and prints ratios.

The files (x y z rgb, binary and binary_compressed) are written by Open3D into bench/data/ (git-ignored),
so neither reader gets files shaped by its own writer. GeoEdge reads in pcd_read_timing.cs (a .NET
file-based app, Release) and Open3D in this process, alternately, 3 warm-ups then the median of 21 each.
Usage: /usr/bin/python3 bench/compare_pcd_read.py [points]
"""
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import open3d as o3d

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = 21


def scan_like(n):
    rng = np.random.default_rng(42)
    width = int(np.sqrt(n))
    i = np.arange(n)
    u, v = (i % width) * 0.002, (i // width) * 0.002
    z = 1.5 + 0.1 * np.sin(u * 3) + 0.05 * np.cos(v * 5) + 0.001 * rng.integers(-2, 3, n)
    xyz = np.round(np.column_stack([u * z, v * z, z]) * 1000) / 1000
    rgb = np.column_stack([u, v, z]) * 100 % 256 / 255
    cloud = o3d.geometry.PointCloud()
    cloud.points = o3d.utility.Vector3dVector(xyz)
    cloud.colors = o3d.utility.Vector3dVector(rgb)
    return cloud


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    cloud = scan_like(n)
    files = {}
    for name, kwargs in (("binary", {}), ("binary_compressed", {"compressed": True})):
        files[name] = os.path.join(data, f"open3d_{n}_{name}.pcd")
        o3d.io.write_point_cloud(files[name], cloud, **kwargs)
    geoedge = subprocess.Popen(["dotnet", "run", "-c", "Release", os.path.join(HERE, "pcd_read_timing.cs")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def geoedge_read(path):
        geoedge.stdin.write(path + "\n")
        ms, points = geoedge.stdout.readline().split()
        assert int(points) == n
        return float(ms)

    def open3d_read(path):
        start = time.perf_counter()
        read = o3d.io.read_point_cloud(path)
        elapsed = (time.perf_counter() - start) * 1000
        assert len(read.points) == n
        return elapsed

    print(f"{'file':<38} {'MB':>6} {'Open3D ms':>10} {'GeoEdge ms':>11} {'ratio':>6}")
    for path in files.values():
        o3d_runs, ge_runs = [], []
        for i in range(3 + RUNS):  # alternate the two readers so load changes hit both alike
            o, g = open3d_read(path), geoedge_read(path)
            if i >= 3:
                o3d_runs.append(o)
                ge_runs.append(g)
        o3d_ms, ge_ms = statistics.median(o3d_runs), statistics.median(ge_runs)
        print(f"{os.path.basename(path):<38} {os.path.getsize(path) / 1e6:>6.1f} {o3d_ms:>10.2f} {ge_ms:>11.2f} {o3d_ms / ge_ms:>5.1f}x")
    geoedge.stdin.close()
    geoedge.wait()


if __name__ == "__main__":
    main()
