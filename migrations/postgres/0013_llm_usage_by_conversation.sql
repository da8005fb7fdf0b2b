-- The model turns a patient (a conversation) had in the last hour, counted from the database so
-- that every replica, and a restarted one, applies the same `llm.turns_per_patient_per_hour`.
CREATE INDEX llm_usage_conversation_idx ON llm_usage (conversation_id, created_at);
