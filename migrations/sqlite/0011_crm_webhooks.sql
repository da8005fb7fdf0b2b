-- CRM webhooks (issue 17, part 4): events pushed to the clinic's CRM as Standard Webhooks.
--
-- `crm_endpoints` mirrors `crm_webhooks:` of clinic.yaml (synced with the clinic; an entry that
-- left the file is inactive). A 410 from the receiver sets `disabled_at`; it is cleared when the
-- entry's `config_hash` (its secret variable and events) changes.
CREATE TABLE crm_endpoints (
    id              BLOB PRIMARY KEY NOT NULL,
    clinic_id       BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    secret_env      TEXT NOT NULL,
    -- The subscribed event names between commas (`,lead.qualified,appointment.booked,`).
    events          TEXT NOT NULL,
    config_hash     TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    disabled_at     TEXT,
    disabled_reason TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (clinic_id, url)
);

-- One row per event and subscribed endpoint, written in the transaction of the change that
-- caused it. `body` is the exact JSON posted on every attempt; the row id is the
-- `webhook-id` (`msg_` + its hex), the same on every retry and replay.
CREATE TABLE crm_deliveries (
    id              BLOB PRIMARY KEY NOT NULL,
    clinic_id       BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    endpoint_id     BLOB NOT NULL REFERENCES crm_endpoints (id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    leased_by       TEXT,
    leased_until    TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    delivered_at    TEXT
);
CREATE INDEX crm_deliveries_due_idx ON crm_deliveries (next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX crm_deliveries_clinic_idx ON crm_deliveries (clinic_id, state, created_at);

-- The reasons for the lead's score (what `lead.qualified` carries), and when it first became
-- hot or booked: `lead.qualified` is sent once.
ALTER TABLE leads ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE leads ADD COLUMN qualified_at TEXT;
