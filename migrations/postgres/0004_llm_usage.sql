-- What each LLM-brain turn cost, and the turns the budget or the concurrency limit sent to the
-- rules brain (operator-visible events). One row per turn.
CREATE TABLE llm_usage (
    id                uuid PRIMARY KEY,
    clinic_id         uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id   uuid REFERENCES conversations (id) ON DELETE SET NULL,
    -- The clinic's calendar day, which the daily budget counts.
    day               date NOT NULL,
    model             text,
    prompt_tokens     integer NOT NULL CHECK (prompt_tokens >= 0),
    completion_tokens integer NOT NULL CHECK (completion_tokens >= 0),
    requests          integer NOT NULL CHECK (requests >= 0),
    cost_micro_usd    bigint CHECK (cost_micro_usd >= 0),
    outcome           text NOT NULL CHECK (outcome IN ('answered', 'safe_reply', 'fell_back', 'over_budget', 'busy')),
    created_at        timestamptz NOT NULL
);
CREATE INDEX llm_usage_clinic_day_idx ON llm_usage (clinic_id, day);
