-- CRM webhooks (issue 17, part 4): events pushed to the clinic's CRM as Standard Webhooks.
--
-- `crm_endpoints` mirrors `crm_webhooks:` of clinic.yaml (synced with the clinic; an entry that
-- left the file is inactive). A 410 from the receiver sets `disabled_at`; it is cleared when the
-- entry's `config_hash` (its secret variable and events) changes.
CREATE TABLE crm_endpoints (
    id              uuid PRIMARY KEY,
    clinic_id       uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    url             text NOT NULL,
    secret_env      text NOT NULL,
    -- The subscribed event names between commas (`,lead.qualified,appointment.booked,`).
    events          text NOT NULL,
    config_hash     text NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    disabled_at     timestamptz,
    disabled_reason text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (clinic_id, url)
);

-- One row per event and subscribed endpoint, written in the transaction of the change that
-- caused it. `body` is the exact JSON posted on every attempt (text, not jsonb, which would
-- reorder it); the row id is the `webhook-id` (`msg_` + its hex), the same on every retry
-- and replay. Replicas claim due rows with `FOR UPDATE SKIP LOCKED` and a lease.
CREATE TABLE crm_deliveries (
    id              uuid PRIMARY KEY,
    clinic_id       uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    endpoint_id     uuid NOT NULL REFERENCES crm_endpoints (id) ON DELETE CASCADE,
    event           text NOT NULL,
    body            text NOT NULL,
    state           text NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    leased_by       text,
    leased_until    timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    delivered_at    timestamptz
);
CREATE INDEX crm_deliveries_due_idx ON crm_deliveries (next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX crm_deliveries_clinic_idx ON crm_deliveries (clinic_id, state, created_at);

-- The reasons for the lead's score (what `lead.qualified` carries), and when it first became
-- hot or booked: `lead.qualified` is sent once.
ALTER TABLE leads ADD COLUMN reasons jsonb NOT NULL DEFAULT '[]';
ALTER TABLE leads ADD COLUMN qualified_at timestamptz;
