#!/usr/bin/python3
"""Writes the shipped replay samples of shapes-dgcnn: one binary PCD per class.

For each of the 12 classes, the first cloud of that class in data/test.npz ('pos' [240,1024,3] float32,
'label' [240] int64) becomes samples/NN_<label>.pcd, NN = the class index, so the file name carries the
label (label names from bundle/manifest.json 'labels'). The files are PCD v0.7, DATA binary, fields x y z
float32, little-endian, written to a temp file and renamed into place.

Run from the repository root:  /usr/bin/python3 models/shapes-dgcnn/samples/make_samples.py
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.dirname(HERE)


def write_pcd(path, pos):
    pos = np.ascontiguousarray(pos, dtype="<f4")
    n = pos.shape[0]
    header = (
        "# .PCD v0.7 - Point Cloud Data file format\n"
        "VERSION 0.7\n"
        "FIELDS x y z\n"
        "SIZE 4 4 4\n"
        "TYPE F F F\n"
        "COUNT 1 1 1\n"
        f"WIDTH {n}\n"
        "HEIGHT 1\n"
        "VIEWPOINT 0 0 0 1 0 0 0\n"
        f"POINTS {n}\n"
        "DATA binary\n"
    )
    temp = path + ".tmp"
    with open(temp, "wb") as f:
        f.write(header.encode("ascii"))
        f.write(pos.tobytes())
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def main():
    labels = json.load(open(os.path.join(MODEL, "bundle", "manifest.json")))["labels"]
    data = np.load(os.path.join(MODEL, "data", "test.npz"))
    pos, label = data["pos"], data["label"]
    for c, name in enumerate(labels):
        first = int(np.flatnonzero(label == c)[0])
        path = os.path.join(HERE, f"{c:02d}_{name}.pcd")
        write_pcd(path, pos[first])
        print(f"{os.path.relpath(path)}: test example {first}, label {c} ({name}), {pos.shape[1]} points")


if __name__ == "__main__":
    main()
