#!/usr/bin/python3
"""Prune-aware fine-tuning for shapes-dgcnn: the structured channel mask that `geoedge-model prune --structured RATIO`
will apply is fixed in PyTorch, and the remaining weights are fine-tuned so the pruned model recovers accuracy.

    nice -n 19 env OMP_NUM_THREADS=1 /usr/bin/python3 models/training/prune_finetune.py \
        [--ratio 0.5] [--per-class 150] [--epochs 10] [--train-budget-s 1500] [--kd-alpha 0.7 --kd-temperature 4]
        [--log FILE] [--knn K] [--extra-train data-large/train.npz]

Training: knowledge distillation from the fp32 model (the teacher, eval mode): loss = alpha * T^2 * KL(softmax(teacher/T)
|| softmax(student/T)) + (1 - alpha) * cross-entropy (label smoothing 0.05), Adam with a cosine learning rate to 0
(over the planned steps, or over a wall-clock training budget when that ends first: the report records the steps run),
random SO(3) rotations. The student is the SHRUNK network (only the kept channels, about half the FLOPs of the
masked full-width one, so an epoch costs about half); it is expanded back to the full width with the masked channels'
producer rows and consumer columns zero before export, and the export is checked to equal the student.

Mask: per channel group, the same rule as the C# tool (src/GeoEdge.ModelTool/Prune/ChannelImportance.cs): L1 norm of
the producing weights (EdgeConv k: lin_i + lin_j rows; head: head.0 rows), the floor(RATIO x C) lowest removed, ties
to the lower index. The masked channels' producer rows and consumer columns are zeroed after every step, so
(1) their L1 score is exactly 0 and the C# tool removes exactly them, and (2) the exported float model equals its
shrunk version (the tool's "shrunk = masked original" proof). Groups the tool keeps whole (the 'lin' layer whose
channels reach the embedding output) are not masked.

Writes models/shapes-dgcnn/finetune/{model-masked.onnx, finetune-report.json} (the ONNX is an intermediate: pack +
prune turn it into the shipped pruned bundle; see bench/RESULTS.md). Training data: fresh procedural clouds from the
recipe's generator (seeded with --train-seed, a stream no shipped or large evaluation split uses), preprocessed once and
cached in models/shapes-dgcnn/data-large/ (ignored by git; the raw clouds are kept there for evaluate's near-duplicate
check).

Edge pruning (--knn K, K < 16): the student reads each point's K nearest neighbours instead of 16 (the three per-edge
Gathers and the ReduceMax over k cost in proportion to rows = points x k, and the device's kNN is cheaper too). The
kNN matrices are nearest-first with ties to the lower index, so the K-neighbour matrix is exactly the first K columns of
the cached 16-neighbour one (asserted against a fresh k=K computation on a few clouds). The teacher keeps k=16. The
student is BatchNorm-re-estimated, trained, validated (validation-large when its preprocessed cache exists) and
exported with K: the ONNX input 'knn' is [B,1024,K].

Point pruning (--points P, P < 1024): the student reads the P farthest points of each cloud (the device's own
preprocessing: farthest-point sampling from index 0, then NormalizeScale and the kNN on those P points, exactly as the
manifest's `points` = P makes PointCloudClassification do) while the teacher keeps all 1,024. Fewer points shrink every
per-point convolution and every per-edge Gather/ReduceMax row count; at P = 512 and k = 8 a neighbourhood spans about
the same radius as 16 of 1,024 (the fp32 model itself scores 0.83 fed 512 points and 8 neighbours, 0.41 with 16). The
sampled sets are cached next to the 1,024-point caches (<name>-p<P>.npz); training rotates both views the same way.
The ONNX inputs are then pos [B,P,3] and knn [B,P,K]."""
import argparse
import copy
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


def kept(width, masked):
    drop = set(masked)
    return [c for c in range(width) if c not in drop]


def shrink(model, masks):
    """A ShapesDGCNN holding only the kept channels of `model` (same weights), the network `prune` will produce."""
    widths = [c.lin_i.out_channels for c in model.convs]
    keep = [kept(w, masks[f"convs.{k}"]) for k, w in enumerate(widths)]
    keep_h = kept(model.head[0].out_features, masks["head"])
    small = S.ShapesDGCNN(widths=tuple(len(k) for k in keep), emb=model.lin.out_channels)
    small.head[0] = torch.nn.Linear(model.head[0].in_features, len(keep_h))
    small.head[1] = torch.nn.BatchNorm1d(len(keep_h))
    small.head[4] = torch.nn.Linear(len(keep_h), model.head[4].out_features)
    offsets = np.cumsum([0] + widths[:-1])
    with torch.no_grad():
        prev = torch.arange(3)
        for k, (big, sm) in enumerate(zip(model.convs, small.convs)):
            rows = torch.tensor(keep[k])
            sm.lin_i.weight.copy_(big.lin_i.weight[rows][:, prev])
            sm.lin_i.bias.copy_(big.lin_i.bias[rows])
            sm.lin_j.weight.copy_(big.lin_j.weight[rows][:, prev])
            for name in ("weight", "bias", "running_mean", "running_var"):
                getattr(sm.bn, name).copy_(getattr(big.bn, name)[rows])
            sm.bn.num_batches_tracked.copy_(big.bn.num_batches_tracked)
            prev = rows
        cols = torch.tensor(np.concatenate([np.asarray(keep[k]) + offsets[k] for k in range(len(keep))]))
        small.lin.weight.copy_(model.lin.weight[:, cols])
        small.bn.load_state_dict(model.bn.state_dict())
        h = torch.tensor(keep_h)
        small.head[0].weight.copy_(model.head[0].weight[h])
        small.head[0].bias.copy_(model.head[0].bias[h])
        for name in ("weight", "bias", "running_mean", "running_var"):
            getattr(small.head[1], name).copy_(getattr(model.head[1], name)[h])
        small.head[1].num_batches_tracked.copy_(model.head[1].num_batches_tracked)
        small.head[4].weight.copy_(model.head[4].weight[:, h])
        small.head[4].bias.copy_(model.head[4].bias)
    return small, keep, keep_h


def expand(template, small, masks, keep, keep_h):
    """The full-width model: `small`'s weights in the kept channels, the masked channels' producers and consumers zero
    (their BatchNorm statistics stay the template's; nothing reads them), so it computes exactly what `small` does."""
    big = copy.deepcopy(template)
    widths = [c.lin_i.out_channels for c in big.convs]
    offsets = np.cumsum([0] + widths[:-1])
    with torch.no_grad():
        prev = torch.arange(3)
        for k, (b, sm) in enumerate(zip(big.convs, small.convs)):
            rows = torch.tensor(keep[k])
            for name in ("lin_i", "lin_j"):
                w = getattr(b, name).weight
                sub = w[rows]
                sub[:, prev] = getattr(sm, name).weight
                w[rows] = sub
            b.lin_i.bias[rows] = sm.lin_i.bias
            for name in ("weight", "bias", "running_mean", "running_var"):
                getattr(b.bn, name)[rows] = getattr(sm.bn, name)
            prev = rows
        cols = torch.tensor(np.concatenate([np.asarray(keep[k]) + offsets[k] for k in range(len(keep))]))
        big.lin.weight[:, cols] = small.lin.weight
        big.bn.load_state_dict(small.bn.state_dict())
        h = torch.tensor(keep_h)
        big.head[0].weight[h] = small.head[0].weight
        big.head[0].bias[h] = small.head[0].bias
        for name in ("weight", "bias", "running_mean", "running_var"):
            getattr(big.head[1], name)[h] = getattr(small.head[1], name)
        big.head[4].weight[:, h] = small.head[4].weight
        big.head[4].bias.copy_(small.head[4].bias)
    apply_masks(big, masks)
    return big


def fresh_train_set(cache_dir, seed, per_class, log):
    """Preprocessed fresh clouds (normalized pos, kNN, labels) from their own seed stream, cached by (seed, per_class)."""
    path = os.path.join(cache_dir, f"finetune-train-{seed}-{per_class}.npz")
    if os.path.exists(path):
        z = np.load(path)
        log(f"train set: {len(z['label'])} cached clouds from {path}")
        return z["norm_pos"], z["knn"], z["label"]
    t = time.time()
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    y = np.repeat(np.arange(len(S.CLASSES)), per_class)
    y = y[rng.permutation(len(y))].astype(np.int64)
    raw = S.generate([S.CLASSES[i] for i in y], rng)
    log(f"generated {len(y)} fresh clouds in {time.time() - t:.0f}s")
    pos, knn = S.preprocess(raw)
    os.makedirs(cache_dir, exist_ok=True)
    # 'pos' raw (like the shipped splits, for evaluate --train's near-duplicate check), 'norm_pos' the model input
    np.savez(path + ".tmp.npz", pos=raw, norm_pos=pos, knn=knn, label=y)
    os.replace(path + ".tmp.npz", path)
    log(f"preprocessed and cached in {path} at {time.time() - t:.0f}s")
    return pos, knn, y


def extra_train_set(path, log):
    """A raw split (pos, label; e.g. data-large/train.npz, the teacher's own training split) preprocessed once and
    cached next to it as <name>-pre.npz."""
    cached = path[:-4] + "-pre.npz"
    if os.path.exists(cached):
        z = np.load(cached)
        log(f"extra train set: {len(z['label'])} cached clouds from {cached}")
        return z["pos"], z["knn"], z["label"]
    t = time.time()
    z = np.load(path)
    pos, knn = S.preprocess(z["pos"].astype(np.float32))
    np.savez(cached + ".tmp.npz", pos=pos, knn=knn, label=z["label"])
    os.replace(cached + ".tmp.npz", cached)
    log(f"extra train set: {len(z['label'])} clouds from {path} preprocessed in {time.time() - t:.0f}s, cached in {cached}")
    return pos, knn, z["label"]


def sampled(pos, points, cache, log):
    """The student's view of preprocessed clouds: farthest-point sampling to `points` (index 0 first, the device's
    rule) on the given positions, then NormalizeScale + the 16-neighbour kNN of the sampled points; cached at `cache`
    (None: not cached). FPS only depends on distances, so sampling the normalized clouds picks what sampling the raw
    ones picks (the committed splits, raw, are sampled raw by the callers)."""
    if cache and os.path.exists(cache):
        z = np.load(cache)
        log(f"{points}-point view: {len(z['pos'])} cached clouds from {cache}")
        return z["pos"], z["knn"]
    t = time.time()
    sub = np.concatenate([S.farthest_point_sampling(list(pos[s:s + 256]), points) for s in range(0, len(pos), 256)])
    p, k = S.preprocess(sub)
    if cache:
        np.savez(cache + ".tmp.npz", pos=p, knn=k)
        os.replace(cache + ".tmp.npz", cache)
    log(f"{points}-point view of {len(pos)} clouds in {time.time() - t:.0f}s{' (cached in ' + cache + ')' if cache else ''}")
    return p, k


def check_knn_prefix(pos, knn, k):
    """The first k columns of a cached 16-neighbour matrix must equal a fresh k-neighbour computation."""
    for i in range(len(pos)):
        fresh = S.knn_exact(pos[i], k)
        assert np.array_equal(fresh, knn[i, :, :k].astype(fresh.dtype)), f"cloud {i}: knn[:, :{k}] != fresh k={k} kNN"


@torch.no_grad()
def recalibrate_batchnorm(model, pos, knn, batch, gen, batches=25, k=S.K):
    """Re-estimates BatchNorm running statistics on training clouds (cumulative average, no gradient): removing half
    the channels shifts every later layer's input statistics, which alone leaves the masked model at chance."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm1d)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    perm = torch.randperm(len(pos), generator=gen)
    for s in range(min(batches, len(pos) // batch)):
        bi = perm[s * batch:(s + 1) * batch]
        model(S.normalize_scale(torch.bmm(pos[bi], S.torch_rotations(len(bi), gen))), knn[bi, :, :k].long())
    for m in bns:
        m.momentum = 0.1
    model.eval()


def state_from_onnx(path, template):
    """A full-width state_dict from an exported model-masked.onnx (to continue fine-tuning a run that saved no .pt):
    initializers carry the state_dict names, except 'lin' + 'bn', which the export folded into one Conv; that Conv's
    weight and bias come back as lin.weight and an identity BatchNorm (running_var = 1 - eps, so the scale is exactly 1)."""
    import onnx
    from onnx import numpy_helper
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in onnx.load(path).graph.initializer}
    state = {k: v.clone() for k, v in template.state_dict().items()}
    for k in state:
        if k in inits:
            state[k] = inits[k]
    folded = [n for n in inits if n not in state]
    w = next(inits[n] for n in folded if inits[n].dim() == 3)
    b = next(inits[n] for n in folded if inits[n].dim() == 1)
    state["lin.weight"] = w
    state["bn.weight"] = torch.ones_like(b)
    state["bn.bias"] = b
    state["bn.running_mean"] = torch.zeros_like(b)
    state["bn.running_var"] = torch.full_like(b, 1 - template.bn.eps)
    return state


def distillation_loss(student, teacher, y, alpha, temperature, label_smoothing=0.05):
    kd = F.kl_div(F.log_softmax(student / temperature, 1), F.softmax(teacher / temperature, 1),
                  reduction="batchmean") * temperature * temperature
    return alpha * kd + (1 - alpha) * F.cross_entropy(student, y, label_smoothing=label_smoothing)


def main():
    ap = argparse.ArgumentParser()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shapes-dgcnn")
    ap.add_argument("--model", default=os.path.join(root, "model.pt"))
    ap.add_argument("--out", default=os.path.join(root, "finetune"))
    ap.add_argument("--init", help="start from this fine-tuned masked model (model-masked.pt or .onnx of an earlier "
                                   "run) instead of masking the teacher; its zero channels are the mask")
    ap.add_argument("--cache", default=os.path.join(root, "data-large"))
    ap.add_argument("--ratio", type=float, default=0.5)
    ap.add_argument("--per-class", type=int, default=150)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--kd-alpha", type=float, default=0.7, help="weight of the distillation term (0 = plain CE)")
    ap.add_argument("--kd-temperature", type=float, default=4.0)
    ap.add_argument("--label-smoothing", type=float, default=0.05,
                    help="of the cross-entropy term (the teacher's recipe uses 0.05; 0 with --kd-temperature 1 fits the "
                         "student to the teacher's own probabilities, which is what calibration then scales)")
    ap.add_argument("--train-seed", type=int, default=S.SEED + 202, help="seed of the fresh clouds' stream")
    ap.add_argument("--train-budget-s", type=float, default=0,
                    help="> 0: the cosine schedule runs on max(step / planned steps, training seconds / budget), so a "
                         "loaded machine ends the schedule on time (fewer steps; the report records how many)")
    ap.add_argument("--log", help="also append progress lines to this file")
    ap.add_argument("--knn", type=int, default=S.K, help="neighbours per point the student reads (edge pruning; the "
                                                          "teacher keeps 16); the exported input 'knn' is [B,1024,K]")
    ap.add_argument("--init-knn", type=int, default=S.K,
                    help="the k the --init model was trained with: BatchNorm statistics are re-estimated when it differs from --knn")
    ap.add_argument("--init-points", type=int, default=S.NUM_POINTS,
                    help="the points the --init model was trained with: BatchNorm statistics are re-estimated when it differs from --points")
    ap.add_argument("--final-bn-batches", type=int, default=0,
                    help="> 0: re-estimate BatchNorm statistics after training as a cumulative average over this many "
                         "training batches (--epochs 0 with --init: only that)")
    ap.add_argument("--points", type=int, default=S.NUM_POINTS,
                    help="points per cloud the student reads (point pruning: farthest-point sampled, the teacher keeps "
                         f"{S.NUM_POINTS}); the exported inputs are pos [B,P,3] and knn [B,P,K]")
    ap.add_argument("--extra-train", action="append", default=[],
                    help="also train on this raw split (pos, label), e.g. data-large/train.npz")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()

    def log(msg):
        line = f"[{time.strftime('%H:%M:%S')} +{time.time() - t0:.0f}s] {msg}"
        print(line, flush=True)
        if args.log:
            with open(args.log, "a") as f:
                f.write(line + "\n")

    torch.manual_seed(S.SEED + 7)
    teacher = S.ShapesDGCNN()
    teacher.load_state_dict(torch.load(args.model))
    teacher.eval()
    test = np.load(os.path.join(root, "data", "test.npz"))
    val = np.load(os.path.join(root, "data", "validation.npz"))
    te_pos, te_knn = S.preprocess(test["pos"].astype(np.float32))
    va_pos, va_knn = S.preprocess(val["pos"].astype(np.float32))
    te_y, va_y = test["label"], val["label"]
    kk, pp = args.knn, args.points
    assert 1 <= pp <= S.NUM_POINTS, f"--points {pp}: must be in 1..{S.NUM_POINTS}"
    st_te_pos, st_te_knn = (te_pos, te_knn) if pp == S.NUM_POINTS else sampled(test["pos"].astype(np.float32), pp, None, log)
    assert 1 <= kk <= S.K, f"--knn {kk}: must be in 1..{S.K}"
    check_knn_prefix(te_pos[:4], te_knn[:4], kk)
    vl_path = os.path.join(args.cache, "validation-large-pre.npz")
    if os.path.exists(vl_path):  # the selection split: 1,200 clouds (the 240-cloud one is too noisy to pick on)
        vl = np.load(vl_path)
        va_pos, va_knn, va_y = vl["pos"], vl["knn"], vl["label"]
        log(f"validation: {len(va_y)} clouds from {vl_path}")
    st_va_pos, st_va_knn = (va_pos, va_knn) if pp == S.NUM_POINTS else sampled(
        va_pos, pp, vl_path[:-4] + f"-p{pp}.npz" if os.path.exists(vl_path) else None, log)
    before = accuracy(teacher, te_pos, te_knn, te_y)
    masked_model = copy.deepcopy(teacher)
    if args.init:
        masked_model.load_state_dict(torch.load(args.init) if args.init.endswith(".pt")
                                     else state_from_onnx(args.init, masked_model))
    masks = make_masks(masked_model, args.ratio)
    apply_masks(masked_model, masks)
    masked = accuracy(masked_model, st_te_pos, st_te_knn[:, :, :kk], te_y)
    student, keep, keep_h = shrink(masked_model, masks)
    log(f"test accuracy {before:.4f}; masked at ratio {args.ratio} before fine-tuning {masked:.4f}"
        f"{' (the --init model)' if args.init else ''}; student widths "
        f"{[len(k) for k in keep]} head {len(keep_h)}; student knn k={kk}, points {pp}")

    fresh = os.path.join(args.cache, f"finetune-train-{args.train_seed}-{args.per_class}.npz")
    sources = [(fresh_train_set(args.cache, args.train_seed, args.per_class, log), fresh)]
    sources += [(extra_train_set(path, log), path[:-4] + "-pre.npz") for path in args.extra_train]
    tr_pos, tr_knn, y = (np.concatenate([part[i] for part, _ in sources]) for i in range(3))
    check_knn_prefix(tr_pos[:4], tr_knn, kk)
    if pp == S.NUM_POINTS:
        st_pos, st_knn = tr_pos, tr_knn
    else:  # one cache per training source, next to its 1,024-point cache, in the concatenation's order
        views = [sampled(part[0], pp, cache[:-4] + f"-p{pp}.npz", log) for part, cache in sources]
        st_pos, st_knn = np.concatenate([v[0] for v in views]), np.concatenate([v[1] for v in views])
        check_knn_prefix(st_pos[:4], st_knn, kk)
    tr_pos, tr_knn, tr_y = torch.from_numpy(tr_pos), torch.from_numpy(tr_knn), torch.from_numpy(y.astype(np.int64))
    st_pos, st_knn = torch.from_numpy(st_pos), torch.from_numpy(st_knn)

    recalibrated = None
    if not args.init or args.init_knn != kk or args.init_points != pp:  # a continued run's statistics match its channels, but not a new k
        recalibrate_batchnorm(student, st_pos, st_knn, args.batch, torch.Generator().manual_seed(S.SEED + 8), k=kk)
        recalibrated = round(accuracy(student, st_te_pos, st_te_knn[:, :, :kk], te_y), 4)
        log(f"test accuracy after re-estimating BatchNorm statistics (no training): {recalibrated:.4f}")

    steps = len(tr_pos) // args.batch
    planned = args.epochs * steps
    opt = torch.optim.Adam(student.parameters(), lr=args.lr, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(S.SEED + 7)
    history = []
    t_train, done, frac = time.time(), 0, 0.0
    for epoch in range(args.epochs):
        student.train()
        perm = torch.randperm(len(tr_pos), generator=gen)
        loss_sum, correct, seen = 0.0, 0, 0
        for s in range(steps):
            frac = done / planned
            if args.train_budget_s > 0:
                frac = max(frac, (time.time() - t_train) / args.train_budget_s)
            if frac >= 1:
                break
            for group in opt.param_groups:  # cosine from lr to 0
                group["lr"] = 0.5 * args.lr * (1 + np.cos(np.pi * frac))
            bi = perm[s * args.batch:(s + 1) * args.batch]
            rot = S.torch_rotations(len(bi), gen)
            with torch.no_grad():
                t_logits, _ = teacher(S.normalize_scale(torch.bmm(tr_pos[bi], rot)), tr_knn[bi].long())
            logits, _ = student(S.normalize_scale(torch.bmm(st_pos[bi], rot)), st_knn[bi, :, :kk].long())
            loss = distillation_loss(logits, t_logits, tr_y[bi], args.kd_alpha, args.kd_temperature, args.label_smoothing)
            opt.zero_grad()
            loss.backward()
            opt.step()
            done += 1
            seen += len(bi)
            loss_sum += loss.item() * len(bi)
            correct += int((logits.argmax(1) == tr_y[bi]).sum())
            if s % 40 == 0:
                log(f"  epoch {epoch + 1} step {s}/{steps} loss {loss.item():.3f} lr {opt.param_groups[0]['lr']:.2e}")
        if seen == 0:
            break
        history.append({"epoch": epoch + 1, "steps": done, "train_loss": round(loss_sum / seen, 4),
                        "train_acc": round(correct / seen, 4), "lr_end": float(f"{opt.param_groups[0]['lr']:.3e}"),
                        "val_acc": round(accuracy(student, st_va_pos, st_va_knn[:, :, :kk], va_y), 4),
                        "elapsed_s": round(time.time() - t0, 1)})
        log(str(history[-1]))
        if frac >= 1:
            log(f"training budget {args.train_budget_s:.0f}s spent after {done} of {planned} planned steps")
            break
    if args.final_bn_batches > 0:  # running statistics from the last ~10 batches (momentum 0.1) move validation by +-1.5 pp
        recalibrate_batchnorm(student, st_pos, st_knn, args.batch, torch.Generator().manual_seed(S.SEED + 9),
                              batches=args.final_bn_batches, k=kk)
        log(f"BatchNorm statistics re-estimated over {args.final_bn_batches} batches: validation "
            f"{accuracy(student, st_va_pos, st_va_knn[:, :, :kk], va_y):.4f}")
    student.eval()
    model = expand(masked_model, student, masks, keep, keep_h)
    model.eval()
    te_pos, te_knn = st_te_pos, np.ascontiguousarray(st_te_knn[:, :, :kk])
    after = accuracy(model, te_pos, te_knn, te_y)
    val_after = accuracy(model, st_va_pos, st_va_knn[:, :, :kk], va_y)
    gap = float(np.abs(S.predict(model, te_pos[:16], te_knn[:16])[0] - S.predict(student, te_pos[:16], te_knn[:16])[0]).max())
    assert gap < 1e-4, f"expanded model differs from the shrunk student by {gap}"
    log(f"test accuracy (240) after fine-tuning with the mask fixed: {after:.4f}; validation ({len(va_y)}) "
        f"{val_after:.4f}; expanded = student to {gap:.1e}")

    torch.save(model.state_dict(), os.path.join(args.out, "model-masked.pt"))  # for a continued run (--init)
    onnx_path = os.path.join(args.out, "model-masked.onnx")
    torch.onnx.export(model, (torch.from_numpy(te_pos[:2]), torch.from_numpy(te_knn[:2]).long()), onnx_path,
                      opset_version=17, input_names=["pos", "knn"], output_names=["logits", "embedding"],
                      dynamic_axes={"pos": {0: "B"}, "knn": {0: "B"}, "logits": {0: "B"}, "embedding": {0: "B"}},
                      do_constant_folding=True)
    report = {"ratio": args.ratio, "knn_k": kk, "points": pp, "teacher_points": S.NUM_POINTS, "teacher_knn_k": S.K, "masks": masks, "per_class": args.per_class, "train_clouds": int(len(tr_y)),
              "epochs": args.epochs, "epochs_run": len(history), "steps_planned": planned, "steps_run": done,
              "train_budget_s": args.train_budget_s, "batch": args.batch, "lr": args.lr,
              "schedule": "cosine to 0 over max(step / planned, training time / budget)", "kd": {"alpha": args.kd_alpha, "temperature": args.kd_temperature, "label_smoothing": args.label_smoothing,
                                                          "teacher": os.path.basename(args.model)},
              "student": {"widths": [len(k) for k in keep], "head": len(keep_h)},
              "test_accuracy_before": round(before, 4), "test_accuracy_masked": round(masked, 4),
              "test_accuracy_masked_bn_recalibrated": recalibrated,
              "test_accuracy_after": round(after, 4), "test_samples": int(len(te_y)),
              "validation_accuracy_after": round(val_after, 4), "validation_samples": int(len(va_y)),
              "extra_train": [os.path.relpath(os.path.abspath(p), root) for p in args.extra_train], "history": history,
              "wall_s": round(time.time() - t0, 1), "train_seed": args.train_seed,
              "init_knn": args.init and args.init_knn, "final_bn_batches": args.final_bn_batches, "init": args.init and {"path": os.path.relpath(os.path.abspath(args.init), root), "sha256": S.sha256(args.init)},
              "onnx": "model-masked.onnx", "onnx_sha256": S.sha256(onnx_path)}
    json.dump(report, open(os.path.join(args.out, "finetune-report.json"), "w"), indent=2)
    log(json.dumps({k: v for k, v in report.items() if k not in ("masks", "history")}))


if __name__ == "__main__":
    main()
