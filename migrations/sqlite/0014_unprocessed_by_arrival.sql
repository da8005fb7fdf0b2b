-- The inbox's index of messages waiting for a turn, by arrival rather than by conversation.
-- Every stored delivery enters this index: keyed by conversation, a group commit of 64
-- deliveries touched a leaf page per conversation (written again to the WAL at each commit);
-- keyed by time, they all land on the last page. A conversation's pending messages are found
-- through messages_conversation_idx, and the sweep reads this index oldest first.
DROP INDEX messages_unprocessed_idx;
CREATE INDEX messages_unprocessed_idx ON messages (created_at) WHERE direction = 'inbound' AND processed_at IS NULL;
