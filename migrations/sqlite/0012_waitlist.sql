-- The waitlist (issue 18): patients waiting for a slot that fits when none was free, and the
-- freed slots offered to them one at a time, each held for the patient it was offered to
-- (`held_until`) so that no one else is offered it meanwhile. Proactive work grows three kinds
-- of job: offering a freed slot (`waitlist`, about the slot's professional and start), marking
-- a missed appointment by itself (`auto_no_show`), and telling a patient their package expires
-- soon (`package_expiry`, once per package). SQLite cannot change a CHECK, so `jobs` is rebuilt.
CREATE TABLE jobs_0012 (
    id                  BLOB PRIMARY KEY NOT NULL,
    clinic_id           BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    job_key             TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL
                        CHECK (kind IN ('reminder', 'no_show', 'waitlist', 'auto_no_show', 'package_expiry')),
    appointment_id      BLOB REFERENCES appointments (id) ON DELETE CASCADE,
    -- A reminder: the appointment's start when planned (a moved appointment gets new jobs);
    -- a waitlist offer: the freed slot's start.
    subject_at          TEXT,
    lead_minutes        INTEGER CHECK (lead_minutes > 0),
    -- A waitlist offer: whose time was freed.
    professional_id     BLOB REFERENCES professionals (id),
    patient_package_id  BLOB REFERENCES patient_packages (id) ON DELETE CASCADE,
    state               TEXT NOT NULL CHECK (state IN ('due', 'running', 'done', 'skipped', 'failed')),
    run_at              TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    leased_by           TEXT,
    leased_until        TEXT,
    outcome             TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
INSERT INTO jobs_0012 (id, clinic_id, job_key, kind, appointment_id, subject_at, lead_minutes, state, run_at,
                       attempts, leased_by, leased_until, outcome, created_at, updated_at)
    SELECT id, clinic_id, job_key, kind, appointment_id, subject_at, lead_minutes, state, run_at,
           attempts, leased_by, leased_until, outcome, created_at, updated_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_0012 RENAME TO jobs;
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state IN ('due', 'running');
CREATE INDEX jobs_appointment_idx ON jobs (appointment_id, kind, subject_at);
CREATE INDEX jobs_package_idx ON jobs (patient_package_id);

CREATE TABLE waitlist (
    id               BLOB PRIMARY KEY NOT NULL,
    clinic_id        BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id       BLOB NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    service_id       BLOB NOT NULL REFERENCES services (id),
    professional_id  BLOB REFERENCES professionals (id),
    -- The local days wanted, inclusive; the entry expires after `date_to`.
    date_from        TEXT NOT NULL,
    date_to          TEXT NOT NULL,
    period           TEXT CHECK (period IN ('manha', 'tarde', 'noite')),
    status           TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'expired')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (date_from <= date_to)
);
CREATE INDEX waitlist_line_idx ON waitlist (clinic_id, status, created_at);

CREATE TABLE waitlist_offers (
    id               BLOB PRIMARY KEY NOT NULL,
    clinic_id        BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    -- The job offering the freed slot, and the entry it is offered to (once each).
    job_id           BLOB NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    entry_id         BLOB NOT NULL REFERENCES waitlist (id) ON DELETE CASCADE,
    patient_id       BLOB NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    professional_id  BLOB NOT NULL REFERENCES professionals (id),
    service_id       BLOB NOT NULL REFERENCES services (id),
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL,
    held_until       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('held', 'declined', 'lapsed', 'booked', 'taken')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (job_id, entry_id)
);
CREATE INDEX waitlist_offers_held_idx ON waitlist_offers (clinic_id, status, starts_at);
