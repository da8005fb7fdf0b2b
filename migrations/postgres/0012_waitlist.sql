-- The waitlist (issue 18): patients waiting for a slot that fits when none was free, and the
-- freed slots offered to them one at a time, each held for the patient it was offered to
-- (`held_until`) so that no one else is offered it meanwhile. Proactive work grows three kinds
-- of job: offering a freed slot (`waitlist`, about the slot's professional and start), marking
-- a missed appointment by itself (`auto_no_show`), and telling a patient their package expires
-- soon (`package_expiry`, once per package).
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('reminder', 'no_show', 'waitlist', 'auto_no_show', 'package_expiry'));
-- A waitlist offer: whose time was freed.
ALTER TABLE jobs ADD COLUMN professional_id uuid REFERENCES professionals (id);
ALTER TABLE jobs ADD COLUMN patient_package_id uuid REFERENCES patient_packages (id) ON DELETE CASCADE;
CREATE INDEX jobs_package_idx ON jobs (patient_package_id);

CREATE TABLE waitlist (
    id               uuid PRIMARY KEY,
    clinic_id        uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id       uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    service_id       uuid NOT NULL REFERENCES services (id),
    professional_id  uuid REFERENCES professionals (id),
    -- The local days wanted, inclusive; the entry expires after `date_to`.
    date_from        date NOT NULL,
    date_to          date NOT NULL,
    period           text CHECK (period IN ('manha', 'tarde', 'noite')),
    status           text NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'expired')),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CHECK (date_from <= date_to)
);
CREATE INDEX waitlist_line_idx ON waitlist (clinic_id, status, created_at);

CREATE TABLE waitlist_offers (
    id               uuid PRIMARY KEY,
    clinic_id        uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    -- The job offering the freed slot, and the entry it is offered to (once each).
    job_id           uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    entry_id         uuid NOT NULL REFERENCES waitlist (id) ON DELETE CASCADE,
    patient_id       uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    professional_id  uuid NOT NULL REFERENCES professionals (id),
    service_id       uuid NOT NULL REFERENCES services (id),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    held_until       timestamptz NOT NULL,
    status           text NOT NULL CHECK (status IN ('held', 'declined', 'lapsed', 'booked', 'taken')),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (job_id, entry_id)
);
CREATE INDEX waitlist_offers_held_idx ON waitlist_offers (clinic_id, status, starts_at);
