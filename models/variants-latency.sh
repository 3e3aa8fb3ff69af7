#!/usr/bin/env bash
# Latency of the shipped shapes-dgcnn variants at 1 intra-op thread, for bench/RESULTS.md: each variant evaluated on the
# committed 240-cloud data/test.npz (robustness off), ROUNDS rounds interleaved (fp32, pruned, int8, pruned-int8, fp32, ...)
# so a load change hits every variant alike; `uptime` is printed before each run. Writes OUT/round-R/VARIANT/evaluation.json
# and prints, per variant, the lowest p50 of its rounds (run, end to end) and the median over rounds of the per-round
# fp32 / variant ratios (the figure bench/RESULTS.md quotes); the shipped reports' latencies come from
# ship-variants.sh's evaluate runs on test-large, on whatever load the machine had then.
#   nice ./models/variants-latency.sh [OUT=/tmp/geoedge-variant-latency] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/geoedge-variant-latency}
ROUNDS=${2:-3}
PUB=models/dev-keys/geoedge-dev.pub.pem
M=models/shapes-dgcnn
TOOL="dotnet src/GeoEdge.ModelTool/bin/Release/net10.0/geoedge-model.dll"
for r in $(seq 1 "$ROUNDS"); do
  for v in fp32 pruned int8 pruned-int8; do
    echo "round $r $v: $(uptime)"
    $TOOL evaluate $M/variants/$v/bundle --data $M/data/test.npz --robustness off --out "$OUT/round-$r/$v" --trusted $PUB | grep latency
  done
done
/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
best = {}
for v in ("fp32", "pruned", "int8", "pruned-int8"):
    lats = [json.load(open(f"{out}/round-{r}/{v}/evaluation.json"))["latency"] for r in range(1, rounds + 1)]
    best[v] = (min(l["runP50Us"] for l in lats), min(l["totalP50Us"] for l in lats))
    print(f"{v}: run p50 {best[v][0]:,.0f} us, end to end p50 {best[v][1]:,.0f} us (best of {rounds} rounds: "
          + "; ".join(f"{l['runP50Us']:,.0f}/{l['totalP50Us']:,.0f}" for l in lats) + ")")
f = best["fp32"]
for v in ("pruned", "int8", "pruned-int8"):
    print(f"fp32 / {v}, best round against best round: run {f[0] / best[v][0]:.2f}x, end to end {f[1] / best[v][1]:.2f}x")
# the figure to quote: per round, fp32's p50 over the variant's (both measured within the same minute), median over rounds
import statistics
for v in ("pruned", "int8", "pruned-int8"):
    for key, what in (("totalP50Us", "end to end"), ("runP50Us", "run")):
        ratios = sorted(json.load(open(f"{out}/round-{r}/fp32/evaluation.json"))["latency"][key]
                        / json.load(open(f"{out}/round-{r}/{v}/evaluation.json"))["latency"][key] for r in range(1, rounds + 1))
        print(f"fp32 / {v}, {what}: median of per-round ratios {statistics.median(ratios):.2f}x (min {ratios[0]:.2f}x, max {ratios[-1]:.2f}x)")
PY
