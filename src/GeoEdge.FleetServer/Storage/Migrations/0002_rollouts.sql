-- Migration 2: rollouts (their stages and frozen device split), actions with their status history and idempotency keys,
-- and device metric windows (exactly once per device, epoch and seq). Times are BIGINT Unix milliseconds (server clock).

CREATE TABLE rollouts (
    rollout_id TEXT PRIMARY KEY,
    request TEXT NOT NULL,             -- JSON Contracts.RolloutRequest as accepted
    model TEXT NOT NULL,
    from_version TEXT NULL,
    to_version TEXT NOT NULL,
    state TEXT NOT NULL,               -- pending_approval | running | paused | halted | canceled | succeeded
    current_stage BIGINT NOT NULL,
    halt_reason TEXT NULL,
    revision BIGINT NOT NULL,          -- bumped by every change: an evaluation applies only over the revision it read
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX rollouts_state ON rollouts (state);

CREATE TABLE rollout_stages (
    rollout_id TEXT NOT NULL REFERENCES rollouts (rollout_id),
    stage_index BIGINT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,               -- waiting | running | baking | succeeded | halted | canceled
    started_at BIGINT NULL,
    PRIMARY KEY (rollout_id, stage_index)
);

CREATE TABLE rollout_devices (
    rollout_id TEXT NOT NULL REFERENCES rollouts (rollout_id),
    device_id TEXT NOT NULL,
    stage_index BIGINT NOT NULL,
    PRIMARY KEY (rollout_id, device_id)
);

CREATE TABLE actions (
    action_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    rollout_id TEXT NOT NULL REFERENCES rollouts (rollout_id),
    stage_index BIGINT NOT NULL,
    version TEXT NOT NULL,
    is_revert BIGINT NOT NULL,         -- 0 forward (toVersion), 1 auto-revert (fromVersion)
    status TEXT NOT NULL,
    seq BIGINT NOT NULL,               -- newest device seq applied (-1 before any)
    assigned_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (rollout_id, device_id, is_revert)
);

CREATE INDEX actions_rollout ON actions (rollout_id, stage_index);

CREATE INDEX actions_device ON actions (device_id);

CREATE TABLE action_statuses (
    id {{identity}},
    action_id TEXT NOT NULL REFERENCES actions (action_id),
    seq BIGINT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,                -- JSON Contracts.ActionStatusReport as received (or the server's timed_out/canceled)
    received_at BIGINT NOT NULL
);

CREATE INDEX action_statuses_action ON action_statuses (action_id);

CREATE TABLE idempotency_keys (
    device_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    http_status BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, idem_key)
);

CREATE TABLE metric_windows (
    device_id TEXT NOT NULL,
    epoch BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    model TEXT NOT NULL,
    version TEXT NOT NULL,
    rollout_id TEXT NULL,              -- the rollout stage the device was in for this version when the window arrived
    stage_index BIGINT NULL,
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    body TEXT NOT NULL,                -- JSON Contracts.MetricsWindow
    received_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, epoch, seq)
);

CREATE INDEX metric_windows_version ON metric_windows (model, version);

CREATE INDEX metric_windows_stage ON metric_windows (rollout_id, stage_index);
