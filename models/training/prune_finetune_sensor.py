#!/usr/bin/python3
"""Prune-aware fine-tuning for sensor-stgnn: the structured channel mask that `geoedge-model prune --structured RATIO`
will apply is fixed in PyTorch, and the remaining weights are fine-tuned so the pruned model recovers its detection.

    nice -n 10 env OMP_NUM_THREADS=1 /usr/bin/python3 models/training/prune_finetune_sensor.py [--ratio 0.5] [--epochs 50]
        [--kd-alpha 0.5 --kd-loss bce --kd-temperature 1] [--init-bn-batches 40] [--final-bn-batches 40] [--input-stride 2]

The defaults are the shipped pruned variant's run (bench/RESULTS.md, "Shipped sensor-stgnn variants").

Distillation (--kd-alpha A > 0): the frozen fp32 model (model.pt, eval mode) is the teacher; loss = A * KD + (1 - A) *
the recipe's BCE (pos_weight 3). KD per sensor-window logit: 'bce' = T^2 * BCE(student / T, sigmoid(teacher / T)),
'mse' = mean squared difference of the logits. --final-bn-batches N: after training, every BatchNorm's running
statistics are re-estimated as the cumulative average over N training batches (fresh faults); the re-estimated model is
kept only if its validation figures are not worse (selection on validation only, never on test). --init-bn-batches N:
the same re-estimation right after masking, before training (removing half the channels shifts every later layer's
input statistics: at ratio 0.5 it alone lifts detection from 0.12, masked, to 0.20 on validation).

Mask: per channel group of the exported ONNX graph, the C# tool's rule (src/GeoEdge.ModelTool/Prune/ChannelImportance.cs):
L1 norm of the producing weights as exported, the floor(RATIO x C) lowest removed, ties to the lower index. Groups: the
residual stream (inp, every block's g_self and g_nbr, added together; node_emb and bn2 follow it), each block's tconv
(scored on the weight with bn1 folded in, as exported; its channels pass the adjacency MatMul A @ h unmixed) and head1;
head2's one channel is the output. The masked channels' producer rows and everything that could make them non-zero
(biases, node_emb, BatchNorm scale and shift) and their consumer columns are zeroed after every step, so (1) their L1
score is exactly 0 and the tool removes exactly them, and (2) the exported float model equals its shrunk version (the
tool's "shrunk = masked original" proof).

Data: the recipe's simulation and splits (same seeds, checked against the manifest's normalisation), with fresh faults
every epoch from a seed the recipe does not use; loss and monitor as the recipe's. The per-sensor thresholds (1 % false
alarms) are refitted on the recipe's full validation period (2,002 windows), as the recipe does.
Writes models/sensor-stgnn/finetune/{model-masked.onnx, finetune-report.json} (intermediates: models/ship-sensor-variants.sh
packs and prunes them into the shipped pruned variant; see bench/RESULTS.md)."""
import argparse
import itertools
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import sensor_stgnn as SG  # noqa: E402  (sets 1 intra-op thread, as the recipe trains)
from finetune_loop import finetune, reestimate_batchnorm  # noqa: E402
from prune_finetune import lowest  # noqa: E402


def sensor_masks(model, ratio):
    """Channel groups of the exported sensor-stgnn graph, scored like the C# tool (L1 of the exported producer rows)."""
    masks = {}
    residual = model.inp.weight.detach().abs().sum((1, 2, 3))
    for k, blk in enumerate(model.blocks):
        residual = residual + blk.g_self.weight.detach().abs().sum((1, 2, 3)) + blk.g_nbr.weight.detach().abs().sum((1, 2, 3))
        # exported with bn1 folded into tconv: W' = W * gamma / sqrt(var + eps) per output channel
        fold = (blk.bn1.weight / torch.sqrt(blk.bn1.running_var + blk.bn1.eps)).detach().abs()
        masks[f"blocks.{k}.tconv"] = lowest((blk.tconv.weight.detach().abs().sum((1, 2, 3)) * fold).numpy(), ratio)
    masks["residual"] = lowest(residual.numpy(), ratio)
    masks["head1"] = lowest(model.head1.weight.detach().abs().sum((1, 2)).numpy(), ratio)
    return masks


@torch.no_grad()
def apply_sensor_masks(model, masks):
    r = torch.tensor(masks["residual"], dtype=torch.long)
    hidden = model.inp.out_channels
    model.inp.weight[r] = 0
    model.inp.bias[r] = 0
    model.node_emb[:, r] = 0
    for k, blk in enumerate(model.blocks):
        t = torch.tensor(masks[f"blocks.{k}.tconv"], dtype=torch.long)
        for layer in (blk.tconv, blk.bn1):  # bn1 scale and shift too: the folded export's rows and bias are then 0
            layer.weight[t] = 0
            layer.bias[t] = 0
        blk.g_self.weight[:, t] = 0
        blk.g_nbr.weight[:, t] = 0
        blk.tconv.weight[:, r] = 0  # the residual stream feeds tconv
        blk.g_self.weight[r] = 0
        blk.g_self.bias[r] = 0
        blk.g_nbr.weight[r] = 0
        blk.bn2.weight[r] = 0
        blk.bn2.bias[r] = 0
    model.head1.weight[:, r] = 0  # max-pooled half
    model.head1.weight[:, r + hidden] = 0  # mean-pooled half
    h = torch.tensor(masks["head1"], dtype=torch.long)
    model.head1.weight[h] = 0
    model.head1.bias[h] = 0
    model.head2.weight[:, h] = 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-pt", help="trained state dict (default models/sensor-stgnn/model.pt)")
    ap.add_argument("--out", help="default models/sensor-stgnn/finetune")
    ap.add_argument("--ratio", type=float, default=0.5,
                    help="0.5 = the shipped pruned variant (16 -> 8 channels: one whole NCHWc block; 12 channels cost what 16 cost)")
    ap.add_argument("--windows-per-epoch", type=int, default=1500, help="training windows with fresh faults per epoch")
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--kd-alpha", type=float, default=0.5, help="weight of the distillation term (0 = the recipe's loss only)")
    ap.add_argument("--kd-loss", choices=("bce", "mse"), default="bce")
    ap.add_argument("--kd-temperature", type=float, default=1.0, help="for --kd-loss bce")
    ap.add_argument("--input-stride", type=int, default=2,
                    help="the input conv strides N in time (an architecture change of the student, shipped with N = 2; 1 = the "
                         "teacher's): every later layer runs on 64 / N samples; weights start from the teacher's (the conv's shape "
                         "is unchanged, so are the model's inputs and outputs)")
    ap.add_argument("--init-bn-batches", type=int, default=40, help="> 0: re-estimate BatchNorm statistics after masking")
    ap.add_argument("--final-bn-batches", type=int, default=40, help="> 0: re-estimate BatchNorm statistics after training")
    args = ap.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sensor-stgnn")
    model_path = args.model_pt or os.path.join(root, "model.pt")
    out = args.out or os.path.join(root, "finetune")
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    torch.manual_seed(SG.SEED + 7)
    spec = json.load(open(os.path.join(root, "manifest-spec.json")))
    sensors = spec["preprocessing"]["sensors"]
    far = spec["preprocessing"]["thresholds"]["targetFalseAlarmRate"]

    # the recipe's simulation and splits (same seeds), then fresh faults from a seed the recipe does not use
    ss_sim, ss_loss, _, ss_val, _, _ = np.random.SeedSequence(SG.SEED).spawn(6)
    total_days = sum(SG.DAYS.values())
    clean = SG.simulate(total_days, np.random.Generator(np.random.PCG64(ss_sim)))
    observed = clean.copy()
    observed[np.random.Generator(np.random.PCG64(ss_loss)).random(observed.shape) < 0.003] = np.nan
    bounds = np.cumsum([0] + [SG.DAYS[k] * SG.STEPS_PER_DAY for k in ("train", "validation", "test")])
    tr_seg, va_seg = (bounds[0], bounds[1]), (bounds[1], bounds[2])
    mean = clean[:, tr_seg[0]:tr_seg[1]].mean(1).astype(np.float32)
    std = clean[:, tr_seg[0]:tr_seg[1]].std(1).astype(np.float32)
    assert np.allclose(mean, [v["mean"] for v in sensors]) and np.allclose(std, [v["std"] for v in sensors]), "not the recipe's data"
    tr_raw, tr_start = SG.windows(observed[:, slice(*tr_seg)], tr_seg[0], 8)
    va_raw0, va_start0 = SG.windows(observed[:, slice(*va_seg)], va_seg[0], 8)
    va_raw, va_kind, va_start = SG.make_split(va_raw0, va_start0, 2, np.random.Generator(np.random.PCG64(ss_val)), std, 0.5)
    x_va = SG.encode(va_raw, va_start, mean, std)
    test = np.load(os.path.join(root, "data", "test.npz"))
    te_raw = np.where(test["mask"] > 0, np.nan, test["raw"]).astype(np.float32)
    x_te, te_kind = SG.encode(te_raw, test["start_s"], mean, std), test["kind"]
    print(f"data ready at {time.time() - t0:.0f}s: train {len(tr_raw)} windows, validation {len(va_raw)}, shipped test {len(x_te)}", flush=True)

    def thresholds(m):
        sv = SG.scores_of(m, x_va)
        return np.array([np.quantile(sv[va_kind[:, s] == 0, s], 1 - far) for s in range(SG.S)], np.float32)

    def validation_quality(m):  # the selection figures: full validation period, thresholds fitted on it (1 % false alarms)
        sv, thr = SG.scores_of(m, x_va), thresholds(m)
        aucs = []
        for s in range(SG.S):
            pos, neg = sv[va_kind[:, s] > 0, s], sv[va_kind[:, s] == 0, s]
            if len(pos) and len(neg):
                aucs.append(float(((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())))
        return {"detection": round(float((sv > thr[None, :])[va_kind > 0].mean()), 4), "mean_sensor_auroc": round(float(np.mean(aucs)), 4)}

    def quality(m, thr):
        st = SG.scores_of(m, x_te)
        alarm = st > thr[None, :]
        aucs = []
        for s in range(SG.S):
            pos, neg = st[te_kind[:, s] > 0, s], st[te_kind[:, s] == 0, s]
            if len(pos) and len(neg):
                aucs.append(float(((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())))
        return {"detection": round(float(alarm[te_kind > 0].mean()), 4), "false_alarms": round(float(alarm[te_kind == 0].mean()), 4),
                "mean_sensor_auroc": round(float(np.mean(aucs)), 4)}

    model = SG.SensorSTGNN(SG.normalized_adjacency(SG.sensor_edges()))
    model.load_state_dict(torch.load(model_path))
    model.eval()
    recipe_thr = np.array([v["threshold"] for v in sensors], np.float32)
    before = quality(model, recipe_thr)
    teacher_validation = validation_quality(model)
    teacher = SG.SensorSTGNN(SG.normalized_adjacency(SG.sensor_edges()))
    teacher.load_state_dict(torch.load(model_path))
    teacher.eval()
    model.inp.stride = (1, args.input_stride)
    masks = sensor_masks(model, args.ratio)
    apply_sensor_masks(model, masks)
    masked = quality(model, thresholds(model))
    print(f"shipped test before {before}; masked at ratio {args.ratio} before fine-tuning {masked}", flush=True)

    inj_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(SG.SEED + 101)))
    per_epoch, batch = min(args.windows_per_epoch, len(tr_raw)), args.batch
    steps = per_epoch // batch

    def batches(epoch, gen):
        pick = np.sort(inj_rng.choice(len(tr_raw), size=per_epoch, replace=False))
        raws, kinds, starts = SG.make_split(tr_raw[pick], tr_start[pick], 1, inj_rng, std, 0.6)
        x, y = torch.from_numpy(SG.encode(raws, starts, mean, std)), torch.from_numpy((kinds > 0).astype(np.float32))
        perm = torch.randperm(len(x), generator=gen)
        for s in range(steps):
            bi = perm[s * batch:(s + 1) * batch]
            yield x[bi], y[bi]

    def loss_of(out, y):
        return F.binary_cross_entropy_with_logits(out, y, pos_weight=torch.tensor(3.0))

    tk = args.kd_temperature

    def kd_of(out, soft):
        if args.kd_loss == "mse":
            return F.mse_loss(out, soft)
        return F.binary_cross_entropy_with_logits(out / tk, torch.sigmoid(soft / tk)) * tk * tk

    distill = (teacher, kd_of, args.kd_alpha) if args.kd_alpha > 0 else None

    def training_inputs(n, seed):  # n training batches (fresh faults), inputs only: for BatchNorm re-estimation
        gen = torch.Generator().manual_seed(seed)
        return itertools.islice((x for _ in itertools.count() for x, _ in batches(-1, gen)), n)

    init_bn = None
    if args.init_bn_batches > 0:
        reestimate_batchnorm(model, training_inputs(args.init_bn_batches, SG.SEED + 8))
        apply_sensor_masks(model, masks)
        init_bn = {"batches": args.init_bn_batches, "validation": validation_quality(model)}
        print(f"BatchNorm re-estimated after masking over {args.init_bn_batches} batches: validation {init_bn['validation']}", flush=True)

    def monitor(m):  # the recipe's quick figure: detection at the global 1 % false-alarm threshold, first 400 windows
        sv, lab = SG.scores_of(m, x_va[:400]), va_kind[:400] > 0
        return {"val400_detection_at_1pct_far": round(float((sv[lab] > np.quantile(sv[~lab], 1 - far)).mean()), 4)}

    history = finetune(model, masks, apply_sensor_masks, batches, loss_of, monitor, args.epochs, steps, args.lr, SG.SEED + 7,
                       distill=distill)
    trained_validation = validation_quality(model)
    print(f"validation: teacher {teacher_validation}, student after training {trained_validation}", flush=True)
    bn = None
    if args.final_bn_batches > 0:
        trained_state = {k: v.clone() for k, v in model.state_dict().items()}
        reestimate_batchnorm(model, training_inputs(args.final_bn_batches, SG.SEED + 9))
        apply_sensor_masks(model, masks)
        bn_validation = validation_quality(model)
        keep = (bn_validation["mean_sensor_auroc"] + bn_validation["detection"]
                >= trained_validation["mean_sensor_auroc"] + trained_validation["detection"])
        if not keep:
            model.load_state_dict(trained_state)
        bn = {"batches": args.final_bn_batches, "validation": bn_validation, "kept": bool(keep)}
        print(f"BatchNorm re-estimated over {args.final_bn_batches} batches: validation {bn_validation} -> "
              f"{'kept' if keep else 'reverted (validation worse)'}", flush=True)
    final_validation = validation_quality(model)
    thr = thresholds(model)
    after = quality(model, thr)
    print(f"shipped test after fine-tuning with the mask fixed: {after}", flush=True)

    onnx_path = os.path.join(out, "model-masked.onnx")
    torch.onnx.export(model, (torch.from_numpy(x_te[:2]),), onnx_path, opset_version=17, input_names=["x"], output_names=["scores"],
                      dynamic_axes={"x": {0: "B"}, "scores": {0: "B"}}, do_constant_folding=True)
    report = {"model": "sensor-stgnn", "ratio": args.ratio, "input_stride": args.input_stride, "masks": masks, "epochs": args.epochs, "lr": args.lr,
              "distillation": distill and {"alpha": args.kd_alpha, "loss": args.kd_loss, "temperature": args.kd_temperature,
                                           "teacher": os.path.relpath(model_path, root)},
              "validation": {"teacher": teacher_validation, "after_training": trained_validation, "final": final_validation,
                             "rule": "validation period windows, per-sensor thresholds at 1 % false alarms fitted on them"},
              "batchnorm_reestimation": bn, "batchnorm_reestimation_after_masking": init_bn,
              "windows_per_epoch": per_epoch, "shipped_test_before": before, "shipped_test_masked": masked,
              "shipped_test_after": after, "history": history, "wall_s": round(time.time() - t0, 1),
              "train_seed": SG.SEED + 101, "thresholds": {"target_false_alarm_rate": far, "values": [float(v) for v in thr],
                                                          "chosen_on": f"validation period, {len(va_raw)} windows (the recipe's rule)"},
              "onnx": "model-masked.onnx", "onnx_sha256": SG.sha256(onnx_path)}
    json.dump(report, open(os.path.join(out, "finetune-report.json"), "w"), indent=2)
    print(json.dumps({k: v for k, v in report.items() if k not in ("masks", "thresholds")}), flush=True)


if __name__ == "__main__":
    main()
