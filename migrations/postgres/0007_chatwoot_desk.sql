-- Chatwoot as the agents' desk (issue 14, the webhook half).

-- What Chatwoot's webhooks told Sofia, stored before they are answered and applied afterwards,
-- in the order received. `dedup_key` is the message id for message events (the same message
-- reaches an account webhook and the inbox's callback) and the delivery id otherwise, so a
-- delivery that arrives twice is applied once. A relay claims rows until `claimed_until`.
CREATE TABLE chatwoot_events (
    id            uuid PRIMARY KEY,
    clinic_id     uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    dedup_key     text NOT NULL CHECK (length(dedup_key) > 0),
    event         text NOT NULL,
    payload       jsonb NOT NULL,
    received_at   timestamptz NOT NULL,
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claimed_by    text,
    claimed_until timestamptz,
    processed_at  timestamptz,
    outcome       text,
    UNIQUE (clinic_id, dedup_key),
    CHECK ((processed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX chatwoot_events_pending_idx ON chatwoot_events (received_at) WHERE processed_at IS NULL;

-- What Chatwoot was told about each handoff of a mirrored conversation: `opened_at` once the
-- conversation was opened there (with its note, labels and team), `closed_at` once it was set
-- back to pending after the handoff ended.
CREATE TABLE chatwoot_handoffs (
    handoff_id uuid PRIMARY KEY REFERENCES handoffs (id) ON DELETE CASCADE,
    opened_at  timestamptz,
    closed_at  timestamptz,
    updated_at timestamptz NOT NULL
);
