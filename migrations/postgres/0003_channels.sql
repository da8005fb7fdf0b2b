-- Webhooks in, the outbox out (issue 4).

-- An outbound row is claimed by one dispatcher before it is handed to a provider, and never
-- claimed again: a crash between the provider's answer and `sent` leaves the claim behind, and
-- the row is then failed as "outcome unknown" instead of being sent a second time.
ALTER TABLE messages ADD COLUMN claimed_by text;
ALTER TABLE messages ADD COLUMN claimed_at timestamptz;
CREATE INDEX messages_outbox_idx ON messages (conversation_id, created_at)
    WHERE direction = 'outbound' AND delivery_status = 'pending';

-- Webhook bodies that came from an authenticated provider but could not be read: kept for an
-- operator to inspect and replay rather than refused into a provider's retry loop.
CREATE TABLE dead_letters (
    id          uuid PRIMARY KEY,
    provider    text NOT NULL,
    channel_id  uuid REFERENCES channels (id),
    reason      text NOT NULL,
    body        bytea NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX dead_letters_received_idx ON dead_letters (received_at);
