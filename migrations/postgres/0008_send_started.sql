-- When a reply's request actually left (issue 15). A dispatcher claims a conversation's rows,
-- then marks read, shows typing and waits on rate limits before any request goes out. A claim
-- left behind by a dead dispatcher is settled by this column: a row whose send never started
-- was certainly not delivered and goes back to the queue; only a row whose request started may
-- be failed as "outcome unknown".
ALTER TABLE messages ADD COLUMN send_started_at timestamptz;
