-- What each LLM-brain turn cost, and the turns the budget or the concurrency limit sent to the
-- rules brain (operator-visible events). One row per turn.
CREATE TABLE llm_usage (
    id                BLOB PRIMARY KEY NOT NULL,
    clinic_id         BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id   BLOB REFERENCES conversations (id) ON DELETE SET NULL,
    -- The clinic's calendar day, which the daily budget counts.
    day               TEXT NOT NULL,
    model             TEXT,
    prompt_tokens     INTEGER NOT NULL CHECK (prompt_tokens >= 0),
    completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
    requests          INTEGER NOT NULL CHECK (requests >= 0),
    cost_micro_usd    INTEGER CHECK (cost_micro_usd >= 0),
    outcome           TEXT NOT NULL CHECK (outcome IN ('answered', 'safe_reply', 'fell_back', 'over_budget', 'busy')),
    created_at        TEXT NOT NULL
);
CREATE INDEX llm_usage_clinic_day_idx ON llm_usage (clinic_id, day);
