#!/usr/bin/env bash
# Writes the input drift reference of each shipped model into its manifest-spec.json, computed by
# `geoedge-model calibrate --drift-only` on the model's validation split through the device's feature code:
#   models/add-drift.sh [name ...]        (default: shapes-dgcnn sensor-stgnn)
# Then run models/pack-shipped.sh to re-pack (and re-sign, DEVELOPMENT key) the bundles with it, and
# models/ship-variants.sh for the calibrated variants (calibrate writes drift into each variant by itself).
# The spec gains only "drift" (the dataset card already pins the validation split); a recipe rerun that rewrites the
# spec in the recipe's format needs this script again.
set -euo pipefail
cd "$(dirname "$0")/.."
KEY=models/dev-keys/geoedge-dev.key.pem
PUB=models/dev-keys/geoedge-dev.pub.pem
dotnet build src/GeoEdge.ModelTool -c Release -nologo -v q >/dev/null
TOOL=src/GeoEdge.ModelTool/bin/Release/net10.0/geoedge-model
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(shapes-dgcnn sensor-stgnn)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "${names[@]}"; do
  dir=models/$name
  "$TOOL" calibrate "$dir/bundle" --validation "$dir/data/validation.npz" --drift-only --out "$tmp/$name" --key "$KEY" --trusted "$PUB"
  /usr/bin/python3 models/spec_section.py drift "$tmp/$name/manifest.json" "$dir/manifest-spec.json"
done
