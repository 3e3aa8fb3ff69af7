"""Per-edge max aggregation in ONNX, five ways, for timing with `GeoEdge.Benchmarks onnx` (bench/RESULTS.md, "Where a run's time goes").

    /usr/bin/python3 bench/tools/gather-max/make_variants.py OUT_DIR
    for m in OUT_DIR/*.onnx; do B onnx $m OUT_DIR/$(basename $m .onnx | cut -d_ -f3).npz 1 300; done

Each model takes node features x [1024, C] float32 and neighbour indices idx (int64, 16 per node) and returns
max_j x[idx[i, j]] per node i, the EdgeConv aggregation of shapes-dgcnn (N = 1024, k = 16):
  gather        Gather only (the cost of copying the 16,384 rows)
  reducemax     Gather [N,k] -> ReduceMax(axis 1)   (what the shipped model runs)
  maxpool       Gather -> Reshape [1,N,k,C] -> MaxPool kernel (k,1)
  splitmax      idx [k,N]: Gather -> Split into k -> variadic Max
  treemax       idx [k,N]: Gather -> halving Slice + Max, log2 k levels
Inputs: nk.npz (idx [N,k]) and kn.npz (idx [k,N]), seeded.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

N, K = 1024, 16


def save(path, nodes, c, inits=(), idx_shape=(N, K)):
    x = h.make_tensor_value_info("x", T.FLOAT, [N, c])
    i = h.make_tensor_value_info("idx", T.INT64, list(idx_shape))
    y = h.make_tensor_value_info("y", T.FLOAT, None)
    m = h.make_model(h.make_graph(nodes, "g", [x, i], [y], initializer=list(inits)), opset_imports=[h.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.save(m, path)


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    for c in (16, 32, 64):
        feats = rng.standard_normal((N, c)).astype(np.float32)
        idx = rng.integers(0, N, size=(N, K)).astype(np.int64)
        np.savez(os.path.join(out, f"nk{c}.npz"), x=feats, idx=idx)
        np.savez(os.path.join(out, f"kn{c}.npz"), x=feats, idx=np.ascontiguousarray(idx.T))
        gather = h.make_node("Gather", ["x", "idx"], ["g"], axis=0)
        save(f"{out}/c{c}_gather_nk{c}.onnx", [h.make_node("Gather", ["x", "idx"], ["y"], axis=0)], c)
        save(f"{out}/c{c}_reducemax_nk{c}.onnx", [gather, h.make_node("ReduceMax", ["g"], ["y"], axes=[1], keepdims=0)], c)
        shp = nh.from_array(np.array([1, N, K, c], np.int64), "shp")
        save(f"{out}/c{c}_maxpool_nk{c}.onnx", [gather, h.make_node("Reshape", ["g", "shp"], ["g4"]),
                                                h.make_node("MaxPool", ["g4"], ["y"], kernel_shape=[K, 1])], c, [shp])
        outs = [f"s{j}" for j in range(K)]
        save(f"{out}/c{c}_splitmax_kn{c}.onnx", [gather, h.make_node("Split", ["g"], outs, axis=0), h.make_node("Max", outs, ["y"])],
             c, (), (K, N))
        nodes, inits, cur, n, level = [gather], [], "g", K, 0
        while n > 1:
            half = n // 2
            for name, v in (("st", 0), ("md", half), ("en", n)):
                inits.append(nh.from_array(np.array([v], np.int64), f"{name}{level}"))
            last = half == 1
            nodes += [h.make_node("Slice", [cur, f"st{level}", f"md{level}"], [f"lo{level}"]),
                      h.make_node("Slice", [cur, f"md{level}", f"en{level}"], [f"hi{level}"]),
                      h.make_node("Max", [f"lo{level}", f"hi{level}"], ["m_last" if last else f"m{level}"])]
            cur, n, level = f"m{level}", half, level + 1
        inits.append(nh.from_array(np.array([0], np.int64), "ax0"))
        nodes.append(h.make_node("Squeeze", ["m_last", "ax0"], ["y"]))
        save(f"{out}/c{c}_treemax_kn{c}.onnx", nodes, c, inits, (K, N))


if __name__ == "__main__":
    main(sys.argv[1])
