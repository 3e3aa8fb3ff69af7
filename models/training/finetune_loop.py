#!/usr/bin/python3
"""The prune-aware fine-tuning loop shared by the recipes' fine-tuning scripts: Adam (weight decay 1e-4), a cosine
learning rate over all steps, and the structured mask re-applied after every optimizer step, so the masked channels stay
exactly zero and `geoedge-model prune` removes exactly them. Optional knowledge distillation from a frozen teacher (the
fp32 model) mixed into the model's own loss, and a BatchNorm re-estimation for after training (the running statistics
of the last ~10 batches at momentum 0.1 swing; shapes-dgcnn gained 1.7 pp validation from re-estimating them).
Each model brings its data (a batch generator per epoch), its loss and its per-epoch monitor. Used by
prune_finetune_sensor.py; prune_finetune.py (shapes-dgcnn) has its own loop and can move onto this one."""
import time

import torch


def finetune(model, masks, apply, batches, loss_of, monitor, epochs, steps, lr, seed, distill=None):
    """The shared loop: Adam (weight decay 1e-4), cosine schedule over all steps, the mask re-applied after every step.
    batches(epoch, gen) yields (input, target) batches; loss_of(output, target) is the model's own loss; monitor(model)
    a dict per epoch. distill = (teacher, kd_of, alpha): loss = alpha * kd_of(output, teacher(input)) + (1 - alpha) *
    loss_of(output, target), the teacher frozen in eval mode."""
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps)
    gen = torch.Generator().manual_seed(seed)
    if distill is not None:
        teacher, kd_of, alpha = distill
        teacher.eval()
        for p in teacher.parameters():
            p.requires_grad_(False)
    history = []
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        loss_sum, n = 0.0, 0
        for x, y in batches(epoch, gen):
            out = model(x)
            loss = loss_of(out, y)
            if distill is not None:
                with torch.no_grad():
                    soft = teacher(x)
                loss = alpha * kd_of(out, soft) + (1 - alpha) * loss
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            apply(model, masks)
            loss_sum, n = loss_sum + loss.item(), n + 1
        history.append({"epoch": epoch + 1, "train_loss": round(loss_sum / max(n, 1), 4), **monitor(model),
                        "elapsed_s": round(time.time() - t0, 1)})
        print(history[-1], flush=True)
    model.eval()
    return history


@torch.no_grad()
def reestimate_batchnorm(model, inputs):
    """Re-estimates every BatchNorm's running statistics as the cumulative average over `inputs` (an iterable of model
    inputs, training data), no gradient, then leaves the model in eval mode with the default momentum restored."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    momenta = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    for x in inputs:
        model(x)
    for m, mom in zip(bns, momenta):
        m.momentum = mom
    model.eval()
