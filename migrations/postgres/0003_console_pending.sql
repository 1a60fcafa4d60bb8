-- Decisions the web console has prepared and is waiting for the custodian's browser to sign:
-- the exact payload bytes (the browser signs their SHA-512 inside the SSHSIG blob; the service
-- assembles the signature over these bytes only), for the session that asked, once, until
-- `expires`. Shared by every instance: the page may come from one and the signature go to
-- another.
CREATE TABLE console_pending (
    nonce TEXT COLLATE "C" PRIMARY KEY,
    session TEXT COLLATE "C" NOT NULL,
    custodian TEXT NOT NULL,
    request_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX console_pending_by_expiry ON console_pending(expires);
-- The console's "your decisions": a custodian's decisions, found without reading them all.
CREATE INDEX decisions_by_custodian ON decisions(custodian, request_id);
