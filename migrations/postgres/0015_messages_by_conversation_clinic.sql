-- Cheaper, and stricter, integrity for the inbox's rows on PostgreSQL.
--
-- PostgreSQL checks a foreign key with a statement per inserted row (started, run and ended in
-- the server), and a message had three: its clinic, its conversation and its channel. Under
-- `bench/ingest-ratio`, dropping all three took a quarter of the server's CPU per delivery, so
-- the checks of clinic and conversation become one: a message references its conversation *and
-- that conversation's clinic*. Deleting a clinic still removes its messages (through its
-- conversations), and a message can no longer name a clinic other than its conversation's,
-- which the two separate keys allowed.
ALTER TABLE conversations ADD CONSTRAINT conversations_id_clinic_key UNIQUE (id, clinic_id);
ALTER TABLE messages
    DROP CONSTRAINT messages_clinic_id_fkey,
    DROP CONSTRAINT messages_conversation_id_fkey,
    ADD CONSTRAINT messages_conversation_clinic_fkey FOREIGN KEY (conversation_id, clinic_id)
        REFERENCES conversations (id, clinic_id) ON DELETE CASCADE;

-- Only outbound rows carry an idempotency key; every inbound row entered this unique index as
-- a NULL all the same. Partial, it holds the keys and nothing else.
ALTER TABLE messages DROP CONSTRAINT messages_idempotency_key_key;
CREATE UNIQUE INDEX messages_idempotency_key_idx ON messages (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
