#!/usr/bin/python3
"""The prune-aware fine-tuning loop shared by the recipes' fine-tuning scripts: Adam (weight decay 1e-4), a cosine
learning rate over all steps, and the structured mask re-applied after every optimizer step, so the masked channels stay
exactly zero and `geoedge-model prune` removes exactly them. Each model brings its data (a batch generator per epoch),
its loss and its per-epoch monitor. Used by prune_finetune_sensor.py; prune_finetune.py (shapes-dgcnn) has its own loop
on branch feat/i5-shapes (distillation, wall-clock budget) and can move onto this one."""
import time

import torch


def finetune(model, masks, apply, batches, loss_of, monitor, epochs, steps, lr, seed):
    """The shared loop: Adam (weight decay 1e-4), cosine schedule over all steps, the mask re-applied after every step.
    batches(epoch, gen) yields training batches; loss_of(model, batch) is the loss; monitor(model) a dict per epoch."""
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps)
    gen = torch.Generator().manual_seed(seed)
    history = []
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        for batch in batches(epoch, gen):
            loss = loss_of(model, batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            apply(model, masks)
        history.append({"epoch": epoch + 1, **monitor(model), "elapsed_s": round(time.time() - t0, 1)})
        print(history[-1], flush=True)
    model.eval()
    return history
