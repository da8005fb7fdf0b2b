-- Admin API keys (issue 17). A key is shown once and never stored: only its SHA-256 (hex),
-- looked up on every request, and a short prefix that names it in `sofia keys list` and
-- `sofia keys revoke`. `tenant` is the clinic the key may see (its folder under knowledge/),
-- NULL for every clinic.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    prefix        text NOT NULL UNIQUE,
    key_hash      text NOT NULL UNIQUE,
    name          text NOT NULL,
    tenant        text,
    role          text NOT NULL CHECK (role IN ('viewer', 'agent', 'admin')),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
