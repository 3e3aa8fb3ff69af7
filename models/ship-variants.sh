#!/usr/bin/env bash
# Builds shapes-dgcnn's shipped variants, signed with the DEVELOPMENT key (FOR TESTS ONLY), and their evaluation reports:
#   models/shapes-dgcnn/variants/{fp32,pruned,int8,pruned-int8}/{bundle,report}
# Inputs: models/shapes-dgcnn/bundle (fp32), models/shapes-dgcnn/finetune/model-masked.onnx (prune_finetune.py:
# fine-tuned with the structured 0.5 mask fixed), data/{validation,test,ood,adversarial}.npz.
#   fp32        = shipped bundle, calibrated
#   pruned      = masked fine-tuned export, prune --structured 0.5 (removes exactly the masked channels), calibrated
#   int8        = fp32, quantize --static (minmax, per-channel, 7-bit weights) on the validation clouds, calibrated
#   pruned-int8 = pruned, quantized the same way, calibrated
# Each variant: evaluate on test with --ood and --adversarial, robustness quick; evaluation written into the manifest.
set -euo pipefail
cd "$(dirname "$0")/.."
KEY=models/dev-keys/geoedge-dev.key.pem
PUB=models/dev-keys/geoedge-dev.pub.pem
M=models/shapes-dgcnn
D=$M/data
TOOL="dotnet src/GeoEdge.ModelTool/bin/Release/net10.0/geoedge-model.dll"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the pruned float model: pack the fine-tuned masked export with the shipped manifest, then shrink it
/usr/bin/python3 - "$M/bundle/manifest.json" "$tmp/spec.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for k in ("created", "model", "files"):
    m.pop(k, None)
m["version"] = "1.1.0-pruned"
json.dump(m, open(sys.argv[2], "w"))
PY
mkdir -p "$tmp/masked" && cp $M/finetune/model-masked.onnx "$tmp/masked/model.onnx"
$TOOL pack "$tmp/masked/model.onnx" --spec "$tmp/spec.json" --key $KEY --out "$tmp/masked-bundle"
$TOOL prune "$tmp/masked-bundle" --out "$tmp/pruned" --key $KEY --structured 0.5 --data $D/test.npz --report "$tmp/prune-report.json"
$TOOL quantize $M/bundle --out "$tmp/int8" --key $KEY --trusted $PUB --static --calibration $D/validation.npz --per-channel --reduce-range --data $D/test.npz
$TOOL quantize "$tmp/pruned" --out "$tmp/pruned-int8" --key $KEY --static --calibration $D/validation.npz --per-channel --reduce-range --data $D/test.npz
cp -r $M/bundle "$tmp/fp32"

for v in fp32 pruned int8 pruned-int8; do
  out=$M/variants/$v
  mkdir -p "$out"
  $TOOL calibrate "$tmp/$v" --validation $D/validation.npz --ood $D/ood.npz --out "$tmp/$v-cal" --key $KEY --trusted $PUB
  $TOOL evaluate "$tmp/$v-cal" --data $D/test.npz --ood $D/ood.npz --adversarial $D/adversarial.npz --robustness quick \
    --out "$out/report" --write-manifest "$out/bundle" --key $KEY --trusted $PUB
  $TOOL verify-bundle "$out/bundle" --trusted $PUB
done
cp "$tmp/prune-report.json" $M/variants/pruned/report/prune-report.json
