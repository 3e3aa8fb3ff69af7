#!/usr/bin/env bash
# Writes sensor-stgnn's per-window OOD rule into models/sensor-stgnn/manifest-spec.json: `geoedge-model calibrate --ood`
# on the shipped bundle (validation split, OOD set data/ood.npz: drift-max and drift-rms measured, the better written,
# threshold at 95 % validation recall), keeping only its "ood" section; then re-packs (and re-signs, DEVELOPMENT key) the
# shipped bundle with models/pack-shipped.sh sensor-stgnn.
#   models/add-sensor-ood.sh
# The threshold is on the drift features standardized against the spec's drift reference, so the script first checks
# that calibrate's drift reference (refitted on the same split by the same code) equals the spec's. A recipe rerun that
# rewrites the spec in the recipe's format needs models/add-drift.sh sensor-stgnn, then this script, again.
set -euo pipefail
cd "$(dirname "$0")/.."
KEY=models/dev-keys/geoedge-dev.key.pem
PUB=models/dev-keys/geoedge-dev.pub.pem
dotnet build src/GeoEdge.ModelTool -c Release -nologo -v q >/dev/null
TOOL=src/GeoEdge.ModelTool/bin/Release/net10.0/geoedge-model
dir=models/sensor-stgnn
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$TOOL" calibrate "$dir/bundle" --validation "$dir/data/validation.npz" --ood "$dir/data/ood.npz" --keep-thresholds --out "$tmp/calibrated" --key "$KEY" --trusted "$PUB"
/usr/bin/python3 models/spec_section.py ood "$tmp/calibrated/manifest.json" "$dir/manifest-spec.json" --same drift
models/pack-shipped.sh sensor-stgnn
