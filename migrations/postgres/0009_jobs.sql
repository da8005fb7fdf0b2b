-- Proactive work (issue 18): reminders before an appointment and the follow-up of a missed one. One row per piece of work, unique by `job_key` (for a reminder: its
-- lead, the appointment and the start it was planned for), so planning twice, or on two
-- replicas at once, never makes a second reminder. Replicas take due rows with
-- `FOR UPDATE SKIP LOCKED` and a lease (`leased_by`, `leased_until`); a lease left by a dead
-- replica expires and the row is taken again, and what the job does is itself once-only (its
-- outbox row has the job's key).
CREATE TABLE jobs (
    id              uuid PRIMARY KEY,
    clinic_id       uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    job_key         text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('reminder', 'no_show')),
    appointment_id  uuid REFERENCES appointments (id) ON DELETE CASCADE,
    -- The appointment's start when the job was planned: a moved appointment gets new jobs.
    subject_at      timestamptz,
    lead_minutes    integer CHECK (lead_minutes > 0),
    state           text NOT NULL CHECK (state IN ('due', 'running', 'done', 'skipped', 'failed')),
    run_at          timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    leased_by       text,
    leased_until    timestamptz,
    -- What became of it: what was sent, or why it was skipped or failed.
    outcome         text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state IN ('due', 'running');
CREATE INDEX jobs_appointment_idx ON jobs (appointment_id, kind, subject_at);
