-- The handoff lifecycle (issue #14): what a handoff is about and how it ended, who opened it
-- (Sofia, or a person who took the conversation over), and when a person last wrote to the
-- patient, so that a human-owned conversation nobody answers goes back to the bot.
ALTER TABLE handoffs ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE handoffs ADD COLUMN opened_by TEXT NOT NULL DEFAULT 'bot' CHECK (opened_by IN ('bot', 'staff'));
ALTER TABLE handoffs ADD COLUMN assignee TEXT CHECK (assignee IS NULL OR length(assignee) > 0);
-- 'staff:<name>' or 'idle' (nobody wrote for handoff.idle_return_h); NULL while open.
ALTER TABLE handoffs ADD COLUMN resolved_by TEXT CHECK (resolved_by IS NULL OR resolved_by = 'idle' OR resolved_by LIKE 'staff:_%');
ALTER TABLE conversations ADD COLUMN human_wrote_at TEXT;

-- Before this migration nothing prevented two open handoffs of one conversation: the newest
-- stays open.
UPDATE handoffs SET status = 'resolved', resolved_at = created_at, resolved_by = 'idle'
WHERE status = 'open' AND EXISTS (
    SELECT 1 FROM handoffs AS later
    WHERE later.conversation_id = handoffs.conversation_id AND later.status = 'open'
      AND (later.created_at > handoffs.created_at OR (later.created_at = handoffs.created_at AND later.id > handoffs.id))
);
UPDATE handoffs SET resolved_by = 'idle' WHERE status = 'resolved' AND resolved_by IS NULL;

-- At most one open handoff per conversation.
CREATE UNIQUE INDEX handoffs_one_open_idx ON handoffs (conversation_id) WHERE status = 'open';
