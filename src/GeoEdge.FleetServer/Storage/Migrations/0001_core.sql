-- Migration 1: devices and their identity, enrollment and operator tokens, request nonces, the model registry and
-- its blobs, desired and reported state per device, and leases. Times are BIGINT Unix milliseconds (server clock).
-- One statement per block ending in ";" at a line end; {{blob}} and {{identity}} are expanded per database.

CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    hw_id TEXT NOT NULL UNIQUE,
    fleet TEXT NOT NULL,
    board TEXT NOT NULL,
    agent_version TEXT NOT NULL,
    attributes TEXT NOT NULL,          -- JSON object of string values
    tags TEXT NOT NULL,                -- JSON array of strings
    cert_pem TEXT NOT NULL,            -- the certificate issued last; its key checks request signatures
    enrolled_at BIGINT NOT NULL,
    last_seen BIGINT NULL,
    desired_version BIGINT NOT NULL,   -- monotonic: bumped by every assignment change, never lowered
    assignment TEXT NULL,              -- JSON Contracts.Assignment, NULL = nothing to change
    desired_changed_at BIGINT NOT NULL,
    reported TEXT NULL,                -- JSON Contracts.ReportedState as last PUT
    reported_at BIGINT NULL,
    last_desired_version BIGINT NOT NULL DEFAULT 0,
    last_desired_code BIGINT NULL
);

CREATE INDEX devices_fleet ON devices (fleet);

CREATE TABLE enrollment_tokens (
    token_id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,   -- SHA-256 hex of the secret; the secret itself is shown once and never stored
    fleet TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    max_uses BIGINT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE operator_tokens (
    token_id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,                -- viewer | operator | admin
    created_at BIGINT NOT NULL
);

CREATE TABLE nonces (
    device_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, nonce)
);

CREATE INDEX nonces_expiry ON nonces (expires_at);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,           -- content address; the file is blobs/sha256/ab/abcd...
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE model_versions (
    model TEXT NOT NULL,
    version TEXT NOT NULL,
    task TEXT NOT NULL,
    bundle_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    manifest_sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,           -- base64 manifest.sig, handed to devices in BundleReference
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (model, version)
);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
