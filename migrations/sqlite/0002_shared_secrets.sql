-- Secrets every instance of the service shares (the web console's CSRF key): made once, by
-- whichever instance asks first, so that any instance accepts a form another one served.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);
