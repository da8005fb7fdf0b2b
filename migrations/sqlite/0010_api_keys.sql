-- Admin API keys (issue 17). A key is shown once and never stored: only its SHA-256 (hex),
-- looked up on every request, and a short prefix that names it in `sofia keys list` and
-- `sofia keys revoke`. `tenant` is the clinic the key may see (its folder under knowledge/),
-- NULL for every clinic.
CREATE TABLE api_keys (
    id            BLOB PRIMARY KEY NOT NULL,
    prefix        TEXT NOT NULL UNIQUE,
    key_hash      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    tenant        TEXT,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'agent', 'admin')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    last_used_at  TEXT,
    revoked_at    TEXT
);
