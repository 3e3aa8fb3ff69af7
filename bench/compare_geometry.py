#!/usr/bin/python3
"""Side-by-side timing of GeoEdge against Open3D 0.16 and SciPy cKDTree: same data, same run.

    ./build.sh compare            (builds the harness, installs python3-open3d/scipy if missing)
    /usr/bin/python3 bench/compare_geometry.py [--rounds 7] [--only knn,radius,fps,grid,sor,ror,read]

The script writes seeded clouds to bench/data/, starts the GeoEdge harness once
(`GeoEdge.Benchmarks time serve`, commands on stdin), and for every case runs each contender once per
round, interleaved, after a warm-up of at least 0.6 s each, so load from other processes hits all of them alike. Each
contender times itself in-process and does the whole job from an [N,3] float32 array (index build
included). It prints the median milliseconds and the ratio fastest reference / GeoEdge: above 1 means
GeoEdge is faster. All tools use every core: Open3D by default, SciPy with workers=-1, GeoEdge with
Parallel.For.

Cases:
  knn     k=16, self excluded. SciPy cKDTree(x).query(x, k=17, workers=-1); Open3D core.nns
          knn_index + knn_search(x, 17); GeoEdge KnnGraph.Build(cloud, 16) (PyG edge_index).
  radius  at most 32 neighbours within r (r gives about 16 on average). SciPy query(k=33,
          distance_upper_bound=r); Open3D hybrid_index(r) + hybrid_search(x, r, 33); GeoEdge RadiusGraph.
  fps     1,024 of 100k, start at point 0. Open3D farthest_point_down_sample; GeoEdge FarthestPointSampling.
  grid    1M points, voxel 0.05 and 0.01. Open3D voxel_down_sample; GeoEdge GridSampling.
  sor     mean_k=20, std_mul=2 on 100k. Open3D remove_statistical_outlier; SciPy cKDTree + the PCL rule in numpy.
  ror     16 neighbours within r on 100k. Open3D remove_radius_outlier; GeoEdge RadiusOutlierRemoval.
  read    the 1M-point binary and binary_compressed PCD written by Open3D. Open3D read_point_cloud
          (legacy and tensor API, the faster counts); GeoEdge PointCloudReader.Read.
"""
import argparse
import json
import os
import platform
import subprocess
import time

import numpy as np
import open3d as o3d
from scipy.spatial import cKDTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data")
HARNESS = os.path.join(ROOT, "bench", "GeoEdge.Benchmarks", "bin", "Release", "net10.0", "GeoEdge.Benchmarks.dll")


def uniform(n, seed):
    return np.random.default_rng(seed).random((n, 3), dtype=np.float32)


def scan(n, seed):
    """A depth-camera-like surface: a noisy sphere patch over a plane, so density is uneven like real scans."""
    rng = np.random.default_rng(seed)
    half = n // 2
    theta, phi = rng.uniform(0, np.pi / 2, half), rng.uniform(0, np.pi, half)
    sphere = np.stack([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)], 1)
    plane = np.stack([rng.uniform(-1, 1, n - half), rng.uniform(-1, 1, n - half), np.full(n - half, -1.2)], 1)
    pts = np.concatenate([sphere, plane]) + rng.normal(0, 0.003, (n, 3))
    return pts[rng.permutation(n)].astype(np.float32)


def radius_for(x, mean_neighbours=16):
    """The radius giving about mean_neighbours within it, measured once with SciPy and shared by all."""
    d, _ = cKDTree(x).query(x[:: max(1, len(x) // 2000)], k=mean_neighbours + 1)
    return float(np.median(d[:, -1]))


class GeoEdge:
    def __init__(self):
        self.proc = subprocess.Popen(["dotnet", HARNESS, "time", "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        if not answer:
            raise RuntimeError(f"GeoEdge harness died on '{line}'")
        return answer

    def timed(self, command):
        return lambda: float(self.ask(command)[0])

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait()


def clock(fn):
    """Wraps a Python-side call so it returns its own wall time in ms, like the harness does."""
    def timed():
        t = time.perf_counter()
        fn()
        return (time.perf_counter() - t) * 1000
    return timed


def measure(contenders, rounds, warmup_ms=600):
    """contenders: name -> callable returning ms. Warm-up each for at least warmup_ms (and 3 calls), then
    rounds interleaved. The warm-up is long enough for .NET's tiered JIT to install optimized code (it
    recompiles hot methods in the background after ~100 ms): the device runs the Native-AOT build, which
    starts optimized, and a service runs warm, so the first calls of a fresh JIT process would mislead."""
    for fn in contenders.values():
        spent, calls = 0.0, 0
        while calls < 3 or spent < warmup_ms:
            spent += fn()
            calls += 1
    samples = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            samples[name].append(fn())
    return {name: float(np.median(v)) for name, v in samples.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    want = lambda case: not only or case in only
    if not os.path.exists(HARNESS):
        raise SystemExit(f"missing {HARNESS}: run 'dotnet build bench/GeoEdge.Benchmarks -c Release' (or ./build.sh compare)")
    os.makedirs(DATA, exist_ok=True)
    ge = GeoEdge()
    rows = []

    def report(case, times):
        refs = {k: v for k, v in times.items() if k != "geoedge"}
        best = min(refs, key=refs.get)
        ratio = refs[best] / times["geoedge"]
        rows.append({"case": case, **{f"{k}_ms": round(v, 3) for k, v in times.items()}, "fastest_reference": best, "ratio": round(ratio, 2)})
        cols = "  ".join(f"{k} {v:9.2f}" for k, v in times.items())
        print(f"{case:46s} {cols}  -> {ratio:5.2f}x vs {best}", flush=True)

    def load(name, x):
        path = os.path.join(DATA, f"{name}.npy")
        np.save(path, x)
        ge.ask(f"load {path}")

    for n in (16_000, 100_000):
        for kind, make in (("uniform", uniform), ("scan", scan)):
            x = make(n, seed=n + 7)
            load(f"{kind}_{n}", x)
            xt = o3d.core.Tensor(x)
            if want("knn"):
                def o3d_knn():
                    nns = o3d.core.nns.NearestNeighborSearch(xt)
                    nns.knn_index()
                    nns.knn_search(xt, 17)
                report(f"knn graph k=16, {kind} N={n:,}", measure({
                    "open3d": clock(o3d_knn),
                    "scipy": clock(lambda: cKDTree(x).query(x, k=17, workers=-1)),
                    "geoedge": ge.timed("knn 16")}, args.rounds))
            if want("radius"):
                r = radius_for(x)

                def o3d_radius():
                    nns = o3d.core.nns.NearestNeighborSearch(xt)
                    nns.hybrid_index(r)
                    nns.hybrid_search(xt, r, 33)
                report(f"radius graph r={r:.4f} max=32, {kind} N={n:,}", measure({
                    "open3d": clock(o3d_radius),
                    "scipy": clock(lambda: cKDTree(x).query(x, k=33, distance_upper_bound=r, workers=-1)),
                    "geoedge": ge.timed(f"radius {r!r} 32")}, args.rounds))
            if n == 100_000 and kind == "scan":
                pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(x.astype(np.float64)))
                if want("sor"):
                    def scipy_sor():
                        d, _ = cKDTree(x).query(x, k=21, workers=-1)
                        mean = d[:, 1:].mean(axis=1)
                        return mean <= mean.mean() + 2.0 * mean.std(ddof=1)
                    report("statistical outlier removal k=20 std=2, N=100,000", measure({
                        "open3d": clock(lambda: pcd.remove_statistical_outlier(20, 2.0)),
                        "scipy": clock(scipy_sor),
                        "geoedge": ge.timed("sor 20 2")}, args.rounds))
                if want("ror"):
                    r = radius_for(x)
                    report("radius outlier removal 16 within r, N=100,000", measure({
                        "open3d": clock(lambda: pcd.remove_radius_outlier(16, r)),
                        "geoedge": ge.timed(f"ror {r!r} 16")}, args.rounds))
                if want("fps"):
                    report("farthest point sampling 1,024 of 100,000", measure({
                        "open3d": clock(lambda: pcd.farthest_point_down_sample(1024)),
                        "geoedge": ge.timed("fps 1024")}, args.rounds))

    big = uniform(1_000_000, seed=11)
    if want("grid"):
        load("uniform_1000000", big)
        pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(big.astype(np.float64)))
        for size in (0.05, 0.01):
            report(f"grid sampling voxel={size}, N=1,000,000", measure({
                "open3d": clock(lambda: pcd.voxel_down_sample(size)),
                "geoedge": ge.timed(f"grid {size}")}, args.rounds))
    if want("read"):
        pcd = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(big.astype(np.float64)))
        for compressed in (False, True):
            enc = "binary_compressed" if compressed else "binary"
            path = os.path.join(DATA, f"uniform_1000000_{enc}.pcd")
            o3d.io.write_point_cloud(path, pcd, write_ascii=False, compressed=compressed)
            report(f"read 1M-point PCD {enc}", measure({
                "open3d": clock(lambda: o3d.io.read_point_cloud(path)),
                "open3d_tensor": clock(lambda: o3d.t.io.read_point_cloud(path)),
                "geoedge": ge.timed(f"read {path}")}, args.rounds))

    ge.close()
    load_avg = os.getloadavg()
    print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average {load_avg[0]:.1f}; "
          f"open3d {o3d.__version__}, numpy {np.__version__}; {args.rounds} interleaved rounds, median")
    with open(os.path.join(DATA, "compare_geometry.json"), "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
