#!/usr/bin/python3
"""Prints bench/RESULTS.md's shapes-dgcnn variants table from the evaluation reports ship-variants.sh wrote.

    /usr/bin/python3 models/variants_table.py [--report report] [--latency DIR]

Per variant: accuracy and its change against fp32 (the reports hold no per-cloud predictions, so the footer quotes
the unpaired 95 % half-width of an accuracy difference, +-1.96 sqrt(2 p (1 - p) / n), a conservative bound), ECE (15 bins) with the ECE a PERFECTLY calibrated model with the same confidences would show at
this n (the noise floor: each reliability bin's correct count drawn Binomial(count, mean confidence), 20,000 draws,
mean and 90th percentile), Brier, OOD AUROC and FPR@95, latency p50 at 1 thread (model run, end to end) and the
preprocessing share (end to end - run). --latency DIR reads latency from DIR/<variant>/evaluation.json instead (a
separate quiet-machine run)."""
import argparse
import json
import math
import os

import numpy as np

VARIANTS = ("fp32", "pruned", "int8", "pruned-int8")


def ece_noise_floor(reliability, draws=20000, seed=5):
    rng = np.random.default_rng(seed)
    counts = np.array([b["count"] for b in reliability])
    conf = np.array([b["confidence"] for b in reliability])
    n = counts.sum()
    hits = rng.binomial(counts[None, :].repeat(draws, 0), conf[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = np.where(counts > 0, hits / np.maximum(counts, 1), 0)
    ece = (counts / n * np.abs(acc - conf)).sum(1)
    return float(ece.mean()), float(np.quantile(ece, 0.9))


def main():
    ap = argparse.ArgumentParser()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shapes-dgcnn", "variants")
    ap.add_argument("--root", default=root)
    ap.add_argument("--report", default="report")
    ap.add_argument("--latency", help="directory with <variant>/evaluation.json of a latency run")
    args = ap.parse_args()
    reports = {v: json.load(open(os.path.join(args.root, v, args.report, "evaluation.json"))) for v in VARIANTS}
    lat = {v: (json.load(open(os.path.join(args.latency, v, "evaluation.json")))["latency"] if args.latency
               else reports[v]["latency"]) for v in VARIANTS}
    base = reports["fp32"]
    print("| variant | data (n) | accuracy | Δ vs fp32 | ECE | ECE of a perfectly calibrated model, mean / 90th pct | "
          "Brier | OOD AUROC | FPR@95 | run p50 | end-to-end p50 | preprocessing p50 share | end-to-end speedup |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for v in VARIANTS:
        r = reports[v]
        floor, p90 = ece_noise_floor(r["reliability"])
        d = r["accuracy"] - base["accuracy"]
        la = lat[v]
        pre = la["totalP50Us"] - la["runP50Us"]
        print(f"| {v} | {r['data']} ({r['samples']}) | {r['accuracy']:.4f} | "
              f"{'—' if v == 'fp32' else f'{100 * d:+.2f} pp'} | {100 * r['ece']:.2f} % | "
              f"{100 * floor:.2f} % / {100 * p90:.2f} % | {r['brier']:.4f} | {r['ood']['auroc']:.4f} | "
              f"{r['ood']['fpr95']:.2f} | {la['runP50Us']:,.0f} us | {la['totalP50Us']:,.0f} us | "
              f"{pre:,.0f} us ({100 * pre / la['totalP50Us']:.0f} %) | "
              f"{lat['fp32']['totalP50Us'] / la['totalP50Us']:.2f}x (run {lat['fp32']['runP50Us'] / la['runP50Us']:.2f}x) |")
    p, n = base["accuracy"], base["samples"]
    print(f"\nn = {n}: an accuracy difference's 95 % half-width (unpaired) is {100 * 1.96 * math.sqrt(2 * p * (1 - p) / n):.2f} pp; "
          f"near-duplicates of training: " + ", ".join(f"{v} {reports[v].get('nearDuplicatesOfTraining')}" for v in VARIANTS))


if __name__ == "__main__":
    main()
