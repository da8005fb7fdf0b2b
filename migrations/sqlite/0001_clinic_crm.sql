-- Sofia's CRM schema on SQLite: the same tables and guarantees as migrations/postgres.
-- SQLite has no exclusion constraints: the store checks overlaps inside the write transaction
-- (one writer at a time), see src/store/sqlite.rs.
-- Follows the MedicSaaS blueprint's core tables
-- (patients, professionals, services, appointments, availability, packages, patient_packages,
-- leads, interactions) so that an admin tool such as Directus can sit on the same database.
-- Money is INTEGER centavos; instants are TEXT; local wall-clock hours are `time`.

CREATE TABLE clinics (
    id            BLOB PRIMARY KEY NOT NULL,
    slug          TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 64),
    name          TEXT NOT NULL,
    assistant_name TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    phone         TEXT NOT NULL,
    address       TEXT NOT NULL,
    booking       TEXT NOT NULL,
    policies      TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE channels (
    id            BLOB PRIMARY KEY NOT NULL,
    clinic_id     BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    priority      INTEGER NOT NULL CHECK (priority >= 0),
    provider      TEXT NOT NULL CHECK (provider IN ('console', 'meta', 'evolution', 'zapi')),
    -- Meta phone_number_id, Evolution instance name or Z-API instance id.
    external_id   TEXT NOT NULL,
    active        INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (clinic_id, provider, external_id)
);
CREATE INDEX channels_external_id_idx ON channels (provider, external_id);

CREATE TABLE professionals (
    id            BLOB PRIMARY KEY NOT NULL,
    clinic_id     BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    position      INTEGER NOT NULL,
    active        INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (clinic_id, name)
);

CREATE TABLE services (
    id               BLOB PRIMARY KEY NOT NULL,
    clinic_id        BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    aliases          TEXT NOT NULL,
    description      TEXT NOT NULL,
    aftercare        TEXT,
    price_cents      INTEGER NOT NULL CHECK (price_cents >= 0),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    minors_allowed   INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    active           INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (clinic_id, name)
);

CREATE TABLE professional_services (
    professional_id BLOB NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    service_id      BLOB NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    PRIMARY KEY (professional_id, service_id)
);

-- Weekly working hours, already inside the clinic's opening hours. weekday: 0 = Monday.
CREATE TABLE availability (
    professional_id BLOB NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_time      TEXT NOT NULL,
    end_time        TEXT NOT NULL,
    CHECK (start_time < end_time),
    PRIMARY KEY (professional_id, weekday, start_time)
);

CREATE TABLE time_off (
    professional_id BLOB NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    CHECK (starts_at < ends_at),
    PRIMARY KEY (professional_id, starts_at)
);

CREATE TABLE packages (
    id                  BLOB PRIMARY KEY NOT NULL,
    clinic_id           BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    service_id          BLOB NOT NULL REFERENCES services (id),
    name                TEXT NOT NULL,
    sessions            INTEGER NOT NULL CHECK (sessions > 0),
    price_cents         INTEGER NOT NULL CHECK (price_cents >= 0),
    regular_price_cents INTEGER CHECK (regular_price_cents >= 0),
    valid_days          INTEGER NOT NULL CHECK (valid_days > 0),
    active              INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (clinic_id, name)
);

CREATE TABLE patients (
    id            BLOB PRIMARY KEY NOT NULL,
    clinic_id     BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    phone         TEXT NOT NULL CHECK (phone GLOB '+[0-9]*' AND length(phone) BETWEEN 9 AND 16),
    name          TEXT,
    opted_out_at  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (clinic_id, phone)
);

CREATE TABLE leads (
    id            BLOB PRIMARY KEY NOT NULL,
    clinic_id     BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id    BLOB REFERENCES patients (id) ON DELETE SET NULL,
    phone         TEXT NOT NULL,
    name          TEXT,
    source        TEXT NOT NULL,
    interest      TEXT,
    facts         TEXT NOT NULL,
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    temperature   TEXT NOT NULL CHECK (temperature IN ('cold', 'warm', 'hot')),
    stage         TEXT NOT NULL CHECK (stage IN ('new', 'contacted', 'interested', 'scheduled', 'converted', 'lost')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (clinic_id, phone)
);
CREATE INDEX leads_stage_idx ON leads (clinic_id, stage, updated_at);

CREATE TABLE appointments (
    id                  BLOB PRIMARY KEY NOT NULL,
    clinic_id           BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id          BLOB NOT NULL REFERENCES patients (id),
    professional_id     BLOB NOT NULL REFERENCES professionals (id),
    service_id          BLOB NOT NULL REFERENCES services (id),
    patient_package_id  BLOB REFERENCES patient_packages (id),
    starts_at           TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'cancelled', 'completed', 'no_show')),
    booked_by           TEXT NOT NULL CHECK (booked_by IN ('bot', 'staff', 'patient', 'import')),
    price_cents         INTEGER NOT NULL CHECK (price_cents >= 0),
    cancellation_reason TEXT,
    late_fee_cents      INTEGER CHECK (late_fee_cents >= 0),
    cancelled_at        TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (starts_at < ends_at),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX appointments_patient_idx ON appointments (patient_id, starts_at);
CREATE INDEX appointments_clinic_time_idx ON appointments (clinic_id, starts_at);

CREATE TABLE patient_packages (
    id              BLOB PRIMARY KEY NOT NULL,
    clinic_id       BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id      BLOB NOT NULL REFERENCES patients (id),
    package_id      BLOB NOT NULL REFERENCES packages (id),
    sessions_total  INTEGER NOT NULL CHECK (sessions_total > 0),
    sessions_used   INTEGER NOT NULL CHECK (sessions_used >= 0),
    purchased_on    TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (sessions_used <= sessions_total),
    CHECK (purchased_on <= expires_on)
);
CREATE INDEX patient_packages_patient_idx ON patient_packages (patient_id);

CREATE TABLE conversations (
    id              BLOB PRIMARY KEY NOT NULL,
    clinic_id       BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    phone           TEXT NOT NULL,
    patient_id      BLOB REFERENCES patients (id),
    owner           TEXT NOT NULL CHECK (owner IN ('bot', 'human', 'paused')),
    paused_until    TEXT,
    state           TEXT NOT NULL,
    lease_holder    TEXT,
    lease_until     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((owner = 'paused') = (paused_until IS NOT NULL)),
    UNIQUE (clinic_id, phone)
);

CREATE TABLE messages (
    id                  BLOB PRIMARY KEY NOT NULL,
    clinic_id           BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id     BLOB NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    channel_id          BLOB REFERENCES channels (id),
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- Inbound: who typed it (patient, staff_phone). Outbound: bot or agent.
    author              TEXT NOT NULL,
    kind                TEXT NOT NULL,
    body                TEXT NOT NULL,
    payload             TEXT NOT NULL,
    provider_message_id TEXT,
    idempotency_key     TEXT UNIQUE,
    delivery_status     TEXT CHECK (delivery_status IN ('pending', 'sent', 'delivered', 'read', 'played', 'failed')),
    error               TEXT,
    processed_at        TEXT,
    sent_at             TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((direction = 'outbound') = (delivery_status IS NOT NULL))
);
-- A provider delivers the same message again and again; it is stored once per channel.
CREATE UNIQUE INDEX messages_provider_id_idx ON messages (channel_id, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);
CREATE INDEX messages_unprocessed_idx ON messages (conversation_id) WHERE direction = 'inbound' AND processed_at IS NULL;

CREATE TABLE audit_log (
    id              BLOB PRIMARY KEY NOT NULL,
    clinic_id       BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id BLOB REFERENCES conversations (id) ON DELETE CASCADE,
    tool            TEXT NOT NULL,
    arguments       TEXT NOT NULL,
    result          TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),
    duration_ms     INTEGER NOT NULL CHECK (duration_ms >= 0),
    created_at      TEXT NOT NULL
);
CREATE INDEX audit_log_conversation_idx ON audit_log (conversation_id, created_at);

CREATE TABLE handoffs (
    id              BLOB PRIMARY KEY NOT NULL,
    clinic_id       BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id BLOB NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    external_ref    TEXT,
    created_at      TEXT NOT NULL,
    resolved_at     TEXT
);
CREATE INDEX handoffs_open_idx ON handoffs (clinic_id, status, created_at);

CREATE TABLE interactions (
    id          BLOB PRIMARY KEY NOT NULL,
    clinic_id   BLOB NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id  BLOB REFERENCES patients (id) ON DELETE CASCADE,
    lead_id     BLOB REFERENCES leads (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX interactions_patient_idx ON interactions (patient_id, created_at);
