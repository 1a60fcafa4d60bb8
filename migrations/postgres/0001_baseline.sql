-- okuri-approvald's schema on PostgreSQL, version 1: the tables of migrations/sqlite's
-- version 1. Texts that are ordered or compared (times, ids) sort bytewise (COLLATE "C"),
-- as SQLite sorts them, so that pages and "first use" read the same on both.
CREATE TABLE requests (
    id TEXT COLLATE "C" PRIMARY KEY,
    requester TEXT COLLATE "C" NOT NULL,
    department TEXT NOT NULL,
    class TEXT NOT NULL,
    body TEXT NOT NULL,
    submitted_at TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL
);
CREATE INDEX requests_by_status ON requests(status, submitted_at, id);
CREATE INDEX requests_by_requester ON requests(requester, submitted_at, id);
CREATE INDEX requests_by_time ON requests(submitted_at, id);
CREATE TABLE decisions (
    request_id TEXT COLLATE "C" PRIMARY KEY REFERENCES requests(id),
    kind TEXT NOT NULL,
    custodian TEXT NOT NULL,
    document TEXT NOT NULL,
    token_id TEXT COLLATE "C" UNIQUE,
    decided_at TEXT NOT NULL
);
CREATE TABLE consumptions (
    token_id TEXT COLLATE "C" PRIMARY KEY,
    request_id TEXT COLLATE "C" NOT NULL REFERENCES requests(id),
    by_id TEXT NOT NULL,
    transfer_id TEXT COLLATE "C" NOT NULL,
    at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE offline_uses (
    token_id TEXT COLLATE "C" NOT NULL,
    transfer_id TEXT COLLATE "C" NOT NULL,
    request_id TEXT NOT NULL,
    by_id TEXT NOT NULL,
    record TEXT NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (token_id, transfer_id)
);
CREATE TABLE violations (
    token_id TEXT COLLATE "C" NOT NULL,
    transfer_id TEXT COLLATE "C" NOT NULL,
    first_transfer TEXT NOT NULL,
    by_id TEXT NOT NULL,
    record TEXT NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (token_id, transfer_id)
);
CREATE TABLE challenges (
    nonce TEXT COLLATE "C" PRIMARY KEY,
    id TEXT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX challenges_by_expiry ON challenges(expires);
CREATE TABLE sessions (
    hash TEXT COLLATE "C" PRIMARY KEY,
    id TEXT NOT NULL,
    roles TEXT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires);
CREATE TABLE designations (
    blake3 TEXT COLLATE "C" NOT NULL,
    document_hash TEXT COLLATE "C" NOT NULL,
    document TEXT NOT NULL,
    class TEXT NOT NULL,
    department TEXT NOT NULL,
    designated_at TEXT NOT NULL,
    registered_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (blake3, document_hash)
);
CREATE TABLE class_findings (
    record TEXT COLLATE "C" NOT NULL,
    transfer_id TEXT COLLATE "C" NOT NULL,
    by_id TEXT NOT NULL,
    blake3 TEXT NOT NULL,
    class TEXT NOT NULL,
    city_class TEXT NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (record, transfer_id)
);
CREATE TABLE rules_held (
    digest TEXT COLLATE "C" PRIMARY KEY,
    first_held TEXT NOT NULL
);
CREATE TABLE serials (
    kind TEXT COLLATE "C" PRIMARY KEY,
    serial BIGINT NOT NULL
);
CREATE TABLE witness (
    record TEXT COLLATE "C" PRIMARY KEY,
    owner TEXT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
