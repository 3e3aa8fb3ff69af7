"""Copies one section of a calibrated manifest into a model's manifest-spec.json, atomically (write temp, fsync, rename).

    /usr/bin/python3 models/spec_section.py SECTION CALIBRATED/manifest.json models/NAME/manifest-spec.json [--same OTHER]

Used by models/add-drift.sh (SECTION drift) and models/add-sensor-ood.sh (SECTION ood --same drift: the OOD threshold is
on features standardized against the drift reference, so the spec's drift must be the one calibrate fitted alongside).
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("section")
    ap.add_argument("calibrated")
    ap.add_argument("spec")
    ap.add_argument("--same", help="refuse unless this section is equal in both files")
    a = ap.parse_args()
    calibrated = json.load(open(a.calibrated))
    spec = json.load(open(a.spec))
    if a.section not in calibrated:
        sys.exit(f"{a.calibrated}: no '{a.section}' section")
    if a.same is not None and calibrated.get(a.same) != spec.get(a.same):
        sys.exit(f"{a.spec}: its '{a.same}' section differs from the one calibrate fitted: refresh it first "
                 f"(models/add-drift.sh for drift)")
    spec[a.section] = calibrated[a.section]
    temp = a.spec + ".tmp"
    with open(temp, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, a.spec)
    print(f"{a.spec}: '{a.section}' written ({len(json.dumps(spec[a.section]))} bytes of JSON)")


if __name__ == "__main__":
    main()
