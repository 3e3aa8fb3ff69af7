#!/usr/bin/env bash
# Where a model run's time goes (bench/RESULTS.md, "Where a run's time goes"): ONNX Runtime's per-operator profile of the
# shipped variants at 1 thread (the batch bound to 1, as ModelSession binds it), and the per-edge max aggregation five ways.
#   nice ./bench/profile-models.sh [OUT_DIR]      (writes OUT_DIR/profile.txt; default /tmp/geoedge-profile)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/geoedge-profile}
mkdir -p "$OUT"
dotnet build bench/GeoEdge.Benchmarks -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
B=bench/GeoEdge.Benchmarks/bin/Release/net10.0/GeoEdge.Benchmarks
{
  echo "# $(date -u +%FT%TZ) uptime: $(uptime)"
  for model in shapes-dgcnn sensor-stgnn; do
    for v in fp32 pruned int8 pruned-int8; do
      m=models/$model/variants/$v/bundle/model.onnx
      [ -f "$m" ] || continue
      echo "## $model $v"
      "$B" onnx-ops "$m" models/$model/reference.npz 500 --bind B=1 | head -n 9
    done
  done
  echo "## per-edge max aggregation, N=1024 k=16 (median p10 p90 cpu ms over 300 runs)"
  /usr/bin/python3 bench/tools/gather-max/make_variants.py "$OUT/gather-max"
  for m in "$OUT"/gather-max/*.onnx; do
    name=$(basename "$m" .onnx)
    echo "$name $("$B" onnx "$m" "$OUT/gather-max/${name##*_}.npz" 1 300)"
  done
  echo "# end uptime: $(uptime)"
} | tee "$OUT/profile.txt"
