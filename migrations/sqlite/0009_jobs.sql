-- Proactive work (issue 18): reminders before an appointment and the follow-up of a missed one. One row per piece of work, unique by `job_key` (for a reminder: its
-- lead, the appointment and the start it was planned for), so planning twice, or on two
-- replicas at once, never makes a second reminder. A replica takes due rows with a lease
-- (`leased_by`, `leased_until`); a lease left by a dead replica expires and the row is taken
-- again, and what the job does is itself once-only (its outbox row has the job's key).
CREATE TABLE jobs (
    id              BLOB PRIMARY KEY NOT NULL,
    clinic_id       BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    job_key         TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('reminder', 'no_show')),
    appointment_id  BLOB REFERENCES appointments (id) ON DELETE CASCADE,
    -- The appointment's start when the job was planned: a moved appointment gets new jobs.
    subject_at      TEXT,
    lead_minutes    INTEGER CHECK (lead_minutes > 0),
    state           TEXT NOT NULL CHECK (state IN ('due', 'running', 'done', 'skipped', 'failed')),
    run_at          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    leased_by       TEXT,
    leased_until    TEXT,
    -- What became of it: what was sent, or why it was skipped or failed.
    outcome         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state IN ('due', 'running');
CREATE INDEX jobs_appointment_idx ON jobs (appointment_id, kind, subject_at);
