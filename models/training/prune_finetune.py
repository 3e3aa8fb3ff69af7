#!/usr/bin/python3
"""Prune-aware fine-tuning for shapes-dgcnn: the structured channel mask that `geoedge-model prune --structured RATIO`
will apply is fixed in PyTorch, and the remaining weights are fine-tuned so the pruned model recovers accuracy.

    nice -n 19 /usr/bin/python3 models/training/prune_finetune.py [--ratio 0.5] [--per-class 40] [--epochs 7]

Mask: per channel group, the same rule as the C# tool (src/GeoEdge.ModelTool/Prune/ChannelImportance.cs): L1 norm of
the producing weights (EdgeConv k: lin_i + lin_j rows; head: head.0 rows), the floor(RATIO x C) lowest removed, ties
to the lower index. The masked channels' producer rows and consumer columns are zeroed after every step, so
(1) their L1 score is exactly 0 and the C# tool removes exactly them, and (2) the exported float model equals its
shrunk version (the tool's "shrunk = masked original" proof). Groups the tool keeps whole (the 'lin' layer whose
channels reach the embedding output) are not masked.

Writes models/shapes-dgcnn/finetune/{model-masked.onnx, finetune-report.json} (the ONNX is an intermediate: pack +
prune turn it into the shipped pruned bundle; see bench/RESULTS.md). Training data: a fresh procedural train subset
from the recipe's generator (seeded, disjoint seed from the shipped splits)."""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import shapes_dgcnn as S  # noqa: E402


def lowest(scores, ratio):
    count = min(int(np.floor(ratio * len(scores))), len(scores) - 1)
    order = sorted(range(len(scores)), key=lambda c: (float(scores[c]), c))
    return sorted(order[:count])


def make_masks(model, ratio):
    masks = {}
    for k, conv in enumerate(model.convs):
        score = conv.lin_i.weight.detach().abs().sum((1, 2)) + conv.lin_j.weight.detach().abs().sum((1, 2))
        masks[f"convs.{k}"] = lowest(score.numpy(), ratio)
    masks["head"] = lowest(model.head[0].weight.detach().abs().sum(1).numpy(), ratio)
    return masks


@torch.no_grad()
def apply_masks(model, masks):
    widths = [c.lin_i.out_channels for c in model.convs]
    offsets = np.cumsum([0] + widths[:-1])
    for k, conv in enumerate(model.convs):
        idx = torch.tensor(masks[f"convs.{k}"], dtype=torch.long)
        conv.lin_i.weight[idx] = 0
        conv.lin_i.bias[idx] = 0
        conv.lin_j.weight[idx] = 0
        if k + 1 < len(model.convs):  # consumers: the next EdgeConv's inputs
            nxt = model.convs[k + 1]
            nxt.lin_i.weight[:, idx] = 0
            nxt.lin_j.weight[:, idx] = 0
        model.lin.weight[:, idx + int(offsets[k])] = 0  # and the concat feeding 'lin'
    idx = torch.tensor(masks["head"], dtype=torch.long)
    model.head[0].weight[idx] = 0
    model.head[0].bias[idx] = 0
    model.head[4].weight[:, idx] = 0


def accuracy(model, pos, knn, y):
    return float((S.predict(model, pos, knn)[0].argmax(1) == y).mean())


def main():
    ap = argparse.ArgumentParser()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shapes-dgcnn")
    ap.add_argument("--model", default=os.path.join(root, "model.pt"))
    ap.add_argument("--out", default=os.path.join(root, "finetune"))
    ap.add_argument("--ratio", type=float, default=0.5)
    ap.add_argument("--per-class", type=int, default=40)
    ap.add_argument("--epochs", type=int, default=7)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    torch.manual_seed(S.SEED + 7)

    model = S.ShapesDGCNN()
    model.load_state_dict(torch.load(args.model))
    test = np.load(os.path.join(root, "data", "test.npz"))
    val = np.load(os.path.join(root, "data", "validation.npz"))
    te_pos, te_knn = S.preprocess(test["pos"].astype(np.float32))
    va_pos, va_knn = S.preprocess(val["pos"].astype(np.float32))
    te_y, va_y = test["label"], val["label"]
    before = accuracy(model, te_pos, te_knn, te_y)
    masks = make_masks(model, args.ratio)
    apply_masks(model, masks)
    masked = accuracy(model, te_pos, te_knn, te_y)
    print(f"test accuracy {before:.4f}; masked at ratio {args.ratio} before fine-tuning {masked:.4f}", flush=True)

    # a fresh seeded train subset (a seed the shipped splits do not use)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(S.SEED + 101)))
    y = np.repeat(np.arange(len(S.CLASSES)), args.per_class)
    y = y[rng.permutation(len(y))]
    raw = S.generate([S.CLASSES[i] for i in y], rng)
    tr_pos, tr_knn = S.preprocess(raw)
    tr_pos, tr_knn, tr_y = torch.from_numpy(tr_pos), torch.from_numpy(tr_knn), torch.from_numpy(y.astype(np.int64))
    print(f"train subset {len(y)} clouds ready at {time.time() - t0:.0f}s", flush=True)

    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * (len(tr_pos) // args.batch))
    gen = torch.Generator().manual_seed(S.SEED + 7)
    history = []
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(tr_pos), generator=gen)
        for s in range(len(tr_pos) // args.batch):
            bi = perm[s * args.batch:(s + 1) * args.batch]
            pos = S.normalize_scale(torch.bmm(tr_pos[bi], S.torch_rotations(len(bi), gen)))
            logits, _ = model(pos, tr_knn[bi].long())
            loss = F.cross_entropy(logits, tr_y[bi], label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            apply_masks(model, masks)
        history.append({"epoch": epoch + 1, "val_acc": round(accuracy(model, va_pos, va_knn, va_y), 4),
                        "elapsed_s": round(time.time() - t0, 1)})
        print(history[-1], flush=True)
    model.eval()
    after = accuracy(model, te_pos, te_knn, te_y)
    print(f"test accuracy after fine-tuning with the mask fixed: {after:.4f}", flush=True)

    onnx_path = os.path.join(args.out, "model-masked.onnx")
    torch.onnx.export(model, (torch.from_numpy(te_pos[:2]), torch.from_numpy(te_knn[:2]).long()), onnx_path,
                      opset_version=17, input_names=["pos", "knn"], output_names=["logits", "embedding"],
                      dynamic_axes={"pos": {0: "B"}, "knn": {0: "B"}, "logits": {0: "B"}, "embedding": {0: "B"}},
                      do_constant_folding=True)
    report = {"ratio": args.ratio, "masks": masks, "per_class": args.per_class, "epochs": args.epochs, "lr": args.lr,
              "test_accuracy_before": round(before, 4), "test_accuracy_masked": round(masked, 4),
              "test_accuracy_after": round(after, 4), "history": history, "wall_s": round(time.time() - t0, 1),
              "train_seed": S.SEED + 101, "onnx": "model-masked.onnx", "onnx_sha256": S.sha256(onnx_path)}
    json.dump(report, open(os.path.join(args.out, "finetune-report.json"), "w"), indent=2)
    print(json.dumps({k: v for k, v in report.items() if k != "masks"}), flush=True)


if __name__ == "__main__":
    main()
