-- Webhooks in, the outbox out (issue 4).

-- An outbound row is claimed by one dispatcher before it is handed to a provider, and never
-- claimed again: a crash between the provider's answer and `sent` leaves the claim behind, and
-- the row is then failed as "outcome unknown" instead of being sent a second time.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
ALTER TABLE messages ADD COLUMN claimed_at TEXT;
CREATE INDEX messages_outbox_idx ON messages (conversation_id, created_at)
    WHERE direction = 'outbound' AND delivery_status = 'pending';

-- Webhook bodies that came from an authenticated provider but could not be read: kept for an
-- operator to inspect and replay rather than refused into a provider's retry loop.
CREATE TABLE dead_letters (
    id          BLOB PRIMARY KEY NOT NULL,
    provider    TEXT NOT NULL,
    channel_id  BLOB REFERENCES channels (id),
    reason      TEXT NOT NULL,
    body        BLOB NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX dead_letters_received_idx ON dead_letters (received_at);
