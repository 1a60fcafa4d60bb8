-- okuri-approvald's schema, version 1: the tables as the releases before versioned
-- migrations made them. Every statement is idempotent, so that a database made by such a
-- release adopts this version as it is.
CREATE TABLE IF NOT EXISTS requests (
    id TEXT PRIMARY KEY,
    requester TEXT NOT NULL,
    department TEXT NOT NULL,
    class TEXT NOT NULL,
    body TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    status TEXT NOT NULL
);
-- Lists are read a page at a time, newest first, from a place: each index gives the rows of
-- one filter in that order, so a page costs its rows, not the rows before it.
DROP INDEX IF EXISTS requests_status;
DROP INDEX IF EXISTS requests_requester;
CREATE INDEX IF NOT EXISTS requests_by_status ON requests(status, submitted_at, id);
CREATE INDEX IF NOT EXISTS requests_by_requester ON requests(requester, submitted_at, id);
CREATE INDEX IF NOT EXISTS requests_by_time ON requests(submitted_at, id);
CREATE TABLE IF NOT EXISTS decisions (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    kind TEXT NOT NULL,
    custodian TEXT NOT NULL,
    document TEXT NOT NULL,
    token_id TEXT UNIQUE,
    decided_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS consumptions (
    token_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    by_id TEXT NOT NULL,
    transfer_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS offline_uses (
    token_id TEXT NOT NULL,
    transfer_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    by_id TEXT NOT NULL,
    record TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (token_id, transfer_id)
);
CREATE TABLE IF NOT EXISTS violations (
    token_id TEXT NOT NULL,
    transfer_id TEXT NOT NULL,
    first_transfer TEXT NOT NULL,
    by_id TEXT NOT NULL,
    record TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (token_id, transfer_id)
);
CREATE TABLE IF NOT EXISTS challenges (
    nonce TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    roles TEXT NOT NULL,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS designations (
    blake3 TEXT NOT NULL,
    document_hash TEXT NOT NULL,
    document TEXT NOT NULL,
    class TEXT NOT NULL,
    department TEXT NOT NULL,
    designated_at TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (blake3, document_hash)
);
CREATE TABLE IF NOT EXISTS class_findings (
    record TEXT NOT NULL,
    transfer_id TEXT NOT NULL,
    by_id TEXT NOT NULL,
    blake3 TEXT NOT NULL,
    class TEXT NOT NULL,
    city_class TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (record, transfer_id)
);
CREATE TABLE IF NOT EXISTS rules_held (
    digest TEXT PRIMARY KEY,
    first_held TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS serials (
    kind TEXT PRIMARY KEY,
    serial INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS witness (
    record TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
