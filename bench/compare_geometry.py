#!/usr/bin/python3
"""Side-by-side timing of GeoEdge against Open3D 0.16 and SciPy cKDTree on the same clouds, same run.

Run from the repository root:  ./build.sh compare   (or: /usr/bin/python3 bench/compare_geometry.py)
Needs Debian's python3-open3d, python3-scipy, python3-numpy and a Release build of bench/GeoEdge.Benchmarks.

Every tool runs the same operation on the same generated data (seeded), in this process or in the
GeoEdge timing harness started from here; each is warmed up once, then timed --repeat times, and the
median is compared. Ratios are "fastest anchor / GeoEdge": 2.0 means GeoEdge takes half the time.
All tools use every core (Open3D by default, SciPy with workers=-1, GeoEdge with Parallel.For).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import open3d as o3d
from scipy.spatial import cKDTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data")
HARNESS = os.path.join(ROOT, "bench", "GeoEdge.Benchmarks", "bin", "Release", "net10.0", "GeoEdge.Benchmarks.dll")


def scene(n, seed):
    """A LiDAR-like scene: a noisy ground plane, walls and objects, so density is uneven like real scans."""
    rng = np.random.default_rng(seed)
    parts = []
    n_ground = int(n * 0.5)
    ground = np.column_stack([rng.uniform(-10, 10, n_ground), rng.uniform(-10, 10, n_ground), rng.normal(0, 0.02, n_ground)])
    parts.append(ground)
    n_wall = int(n * 0.2)
    wall = np.column_stack([rng.uniform(-10, 10, n_wall), np.full(n_wall, 10.0) + rng.normal(0, 0.02, n_wall), rng.uniform(0, 3, n_wall)])
    parts.append(wall)
    n_obj = n - n_ground - n_wall
    centres = rng.uniform(-8, 8, (20, 3)) * np.array([1, 1, 0]) + np.array([0, 0, 0.6])
    d = rng.normal(size=(n_obj, 3))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    objs = centres[rng.integers(0, 20, n_obj)] + d * rng.uniform(0.3, 0.6, (n_obj, 1))
    parts.append(objs)
    pts = np.concatenate(parts).astype(np.float32)
    rng.shuffle(pts)
    return pts


def median_time(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]


def geoedge(op, path, *params, repeat):
    cmd = ["dotnet", HARNESS, "time", op, path, *[str(p) for p in params], "--repeat", str(repeat)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(out)["median_ms"]


def o3d_cloud(x):
    pc = o3d.geometry.PointCloud()
    pc.points = o3d.utility.Vector3dVector(x.astype(np.float64))
    return pc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated subset: knn,radius,fps,grid,sor,read")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    want = lambda name: not only or name in only
    if not os.path.exists(HARNESS):
        sys.exit(f"missing {HARNESS}: run 'dotnet build bench/GeoEdge.Benchmarks -c Release' first")
    os.makedirs(DATA, exist_ok=True)
    clouds = {}
    for n in (16_000, 100_000, 1_000_000):
        x = scene(n, seed=n)
        path = os.path.join(DATA, f"scene_{n}.npy")
        np.save(path, x)
        clouds[n] = (x, path)

    rows = []
    r = args.repeat

    def row(name, o3d_ms, scipy_ms, ge_ms):
        anchors = [t for t in (o3d_ms, scipy_ms) if t is not None]
        ratio = min(anchors) / ge_ms
        rows.append((name, o3d_ms, scipy_ms, ge_ms, ratio))
        fmt = lambda t: "-" if t is None else f"{t:9.2f}"
        print(f"{name:38s} open3d {fmt(o3d_ms)} ms  scipy {fmt(scipy_ms)} ms  geoedge {fmt(ge_ms)} ms  -> {ratio:5.2f}x", flush=True)

    for n in (16_000, 100_000):
        x, path = clouds[n]
        k = 16
        if want("knn"):
            xt = o3d.core.Tensor(x)

            def o3d_knn():
                nns = o3d.core.nns.NearestNeighborSearch(xt)
                nns.knn_index()
                nns.knn_search(xt, k + 1)

            row(f"knn graph k=16, N={n:,}",
                median_time(o3d_knn, r),
                median_time(lambda: cKDTree(x).query(x, k=k + 1, workers=-1), r),
                geoedge("knn", path, k, repeat=r))
        if want("radius"):
            rad, cap = 0.35, 32
            xt = o3d.core.Tensor(x)

            def o3d_radius():
                nns = o3d.core.nns.NearestNeighborSearch(xt)
                nns.hybrid_index(rad)
                nns.hybrid_search(xt, rad, cap + 1)

            row(f"radius graph r={rad} max={cap}, N={n:,}",
                median_time(o3d_radius, r),
                median_time(lambda: cKDTree(x).query(x, k=cap + 1, distance_upper_bound=rad, workers=-1), r),
                geoedge("radius", path, rad, cap, repeat=r))

    x, path = clouds[100_000]
    if want("fps"):
        pc = o3d_cloud(x)
        row("farthest point sampling 1,024 of 100,000", median_time(lambda: pc.farthest_point_down_sample(1024), r), None,
            geoedge("fps", path, 1024, repeat=r))
    if want("sor"):
        pc = o3d_cloud(x)
        row("statistical outlier removal k=20 std=2, N=100,000",
            median_time(lambda: pc.remove_statistical_outlier(nb_neighbors=20, std_ratio=2.0), r), None,
            geoedge("sor", path, 20, 2.0, repeat=r))
    x, path = clouds[1_000_000]
    if want("grid"):
        pc = o3d_cloud(x)
        row("grid sampling voxel=0.1, N=1,000,000", median_time(lambda: pc.voxel_down_sample(0.1), r), None,
            geoedge("grid", path, 0.1, repeat=r))
    if want("read"):
        pc = o3d_cloud(x)
        for compressed in (False, True):
            enc = "binary_compressed" if compressed else "binary"
            pcd = os.path.join(DATA, f"scene_1000000_{enc}.pcd")
            o3d.io.write_point_cloud(pcd, pc, write_ascii=False, compressed=compressed)
            legacy = median_time(lambda: o3d.io.read_point_cloud(pcd), r)
            tensor = median_time(lambda: o3d.t.io.read_point_cloud(pcd), r)
            row(f"read 1M-point PCD {enc}", min(legacy, tensor), None, geoedge("read", pcd, repeat=r))

    print()
    print(f"machine: {os.cpu_count()} cores; open3d {o3d.__version__}; numpy {np.__version__}; repeat {r} (median)")
    with open(os.path.join(DATA, "compare_geometry.json"), "w") as f:
        json.dump([dict(zip(("op", "open3d_ms", "scipy_ms", "geoedge_ms", "ratio"), row_)) for row_ in rows], f, indent=1)


if __name__ == "__main__":
    main()
