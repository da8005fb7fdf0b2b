-- The inbox's index of messages waiting for a turn, by clinic and arrival rather than by
-- conversation. Every stored delivery enters this index: keyed by conversation, a group commit
-- of 64 deliveries touched a leaf page per conversation (each written again to the WAL at every
-- commit); keyed by arrival, a clinic's new messages all land on its last page. The sweep reads
-- it for the clinics a replica serves (it used to scan every message of those clinics through
-- messages_clinic_created_idx); a conversation's pending messages are found through
-- messages_conversation_idx.
DROP INDEX messages_unprocessed_idx;
CREATE INDEX messages_unprocessed_idx ON messages (clinic_id, created_at) WHERE direction = 'inbound' AND processed_at IS NULL;
