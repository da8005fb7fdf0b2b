-- Every conversation mirrored into the clinic's Chatwoot (issue 14, the mirroring half).

-- The Chatwoot contact and conversation a conversation is mirrored to: one per patient.
CREATE TABLE chatwoot_links (
    conversation_id          uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    clinic_id                uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    contact_id               bigint NOT NULL CHECK (contact_id > 0),
    chatwoot_conversation_id bigint NOT NULL CHECK (chatwoot_conversation_id > 0),
    created_at               timestamptz NOT NULL
);
-- What Chatwoot's webhooks name is its conversation id.
CREATE INDEX chatwoot_links_chatwoot_idx ON chatwoot_links (clinic_id, chatwoot_conversation_id);

-- One row per message to mirror, keyed by the message: queued once, posted at least once.
-- `pending` rows are posted in `message_created_at` order within a conversation, each after
-- `next_attempt_at`; a Chatwoot refusal that no retry can fix leaves the row `parked` with its
-- error. A mirror claims a conversation's pending rows until `claimed_until`.
CREATE TABLE chatwoot_deliveries (
    message_id          uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    clinic_id           uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id     uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_created_at  timestamptz NOT NULL,
    status              text NOT NULL CHECK (status IN ('pending', 'mirrored', 'parked')),
    attempts            integer NOT NULL CHECK (attempts >= 0),
    next_attempt_at     timestamptz NOT NULL,
    last_error          text,
    chatwoot_message_id bigint CHECK (chatwoot_message_id > 0),
    claimed_by          text,
    claimed_until       timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CHECK ((status = 'mirrored') = (chatwoot_message_id IS NOT NULL))
);
CREATE INDEX chatwoot_deliveries_pending_idx ON chatwoot_deliveries (conversation_id, message_created_at)
    WHERE status = 'pending';
CREATE INDEX chatwoot_deliveries_due_idx ON chatwoot_deliveries (next_attempt_at) WHERE status = 'pending';
-- The mirror looks for a clinic's recent messages not queued yet.
CREATE INDEX messages_clinic_created_idx ON messages (clinic_id, created_at);
