-- Sofia's CRM schema on PostgreSQL 15+. Follows the MedicSaaS blueprint's core tables
-- (patients, professionals, services, appointments, availability, packages, patient_packages,
-- leads, interactions) so that an admin tool such as Directus can sit on the same database.
-- Money is integer centavos; instants are timestamptz; local wall-clock hours are `time`.

-- btree_gist gives uuid equality to the GiST exclusion constraint below. It lives in public so
-- that every schema (one per test, or a tenant schema) shares one copy.
CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public;

CREATE TABLE clinics (
    id            uuid PRIMARY KEY,
    slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name          text NOT NULL,
    assistant_name text NOT NULL,
    timezone      text NOT NULL,
    phone         text NOT NULL,
    address       text NOT NULL,
    booking       jsonb NOT NULL,
    policies      jsonb NOT NULL,
    content_hash  text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE channels (
    id            uuid PRIMARY KEY,
    clinic_id     uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    priority      integer NOT NULL CHECK (priority >= 0),
    provider      text NOT NULL CHECK (provider IN ('console', 'meta', 'evolution', 'zapi')),
    -- Meta phone_number_id, Evolution instance name or Z-API instance id.
    external_id   text NOT NULL,
    active        boolean NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (clinic_id, provider, external_id)
);
CREATE INDEX channels_external_id_idx ON channels (provider, external_id);

CREATE TABLE professionals (
    id            uuid PRIMARY KEY,
    clinic_id     uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    name          text NOT NULL,
    role          text NOT NULL,
    position      integer NOT NULL,
    active        boolean NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (clinic_id, name)
);

CREATE TABLE services (
    id               uuid PRIMARY KEY,
    clinic_id        uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    name             text NOT NULL,
    aliases          jsonb NOT NULL,
    description      text NOT NULL,
    aftercare        text,
    price_cents      bigint NOT NULL CHECK (price_cents >= 0),
    duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
    minors_allowed   boolean NOT NULL,
    position         integer NOT NULL,
    active           boolean NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (clinic_id, name)
);

CREATE TABLE professional_services (
    professional_id uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    service_id      uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    PRIMARY KEY (professional_id, service_id)
);

-- Weekly working hours, already inside the clinic's opening hours. weekday: 0 = Monday.
CREATE TABLE availability (
    professional_id uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    weekday         smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_time      time NOT NULL,
    end_time        time NOT NULL,
    CHECK (start_time < end_time),
    PRIMARY KEY (professional_id, weekday, start_time)
);

CREATE TABLE time_off (
    professional_id uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    CHECK (starts_at < ends_at),
    PRIMARY KEY (professional_id, starts_at)
);

CREATE TABLE packages (
    id                  uuid PRIMARY KEY,
    clinic_id           uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    service_id          uuid NOT NULL REFERENCES services (id),
    name                text NOT NULL,
    sessions            integer NOT NULL CHECK (sessions > 0),
    price_cents         bigint NOT NULL CHECK (price_cents >= 0),
    regular_price_cents bigint CHECK (regular_price_cents >= 0),
    valid_days          integer NOT NULL CHECK (valid_days > 0),
    active              boolean NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    UNIQUE (clinic_id, name)
);

CREATE TABLE patients (
    id            uuid PRIMARY KEY,
    clinic_id     uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    phone         text NOT NULL CHECK (phone ~ '^\+[0-9]{8,15}$'),
    name          text,
    opted_out_at  timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (clinic_id, phone)
);

CREATE TABLE leads (
    id            uuid PRIMARY KEY,
    clinic_id     uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id    uuid REFERENCES patients (id) ON DELETE SET NULL,
    phone         text NOT NULL,
    name          text,
    source        text NOT NULL,
    interest      text,
    facts         jsonb NOT NULL,
    score         integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    temperature   text NOT NULL CHECK (temperature IN ('cold', 'warm', 'hot')),
    stage         text NOT NULL CHECK (stage IN ('new', 'contacted', 'interested', 'scheduled', 'converted', 'lost')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (clinic_id, phone)
);
CREATE INDEX leads_stage_idx ON leads (clinic_id, stage, updated_at);

CREATE TABLE appointments (
    id                  uuid PRIMARY KEY,
    clinic_id           uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id          uuid NOT NULL REFERENCES patients (id),
    professional_id     uuid NOT NULL REFERENCES professionals (id),
    service_id          uuid NOT NULL REFERENCES services (id),
    patient_package_id  uuid,
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    status              text NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'cancelled', 'completed', 'no_show')),
    booked_by           text NOT NULL CHECK (booked_by IN ('bot', 'staff', 'patient', 'import')),
    price_cents         bigint NOT NULL CHECK (price_cents >= 0),
    cancellation_reason text,
    late_fee_cents      bigint CHECK (late_fee_cents >= 0),
    cancelled_at        timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CHECK (starts_at < ends_at),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    -- One professional never holds two live appointments at once, whoever writes.
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        professional_id WITH =,
        tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status IN ('scheduled', 'confirmed'))
);
CREATE INDEX appointments_patient_idx ON appointments (patient_id, starts_at);
CREATE INDEX appointments_clinic_time_idx ON appointments (clinic_id, starts_at);

CREATE TABLE patient_packages (
    id              uuid PRIMARY KEY,
    clinic_id       uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id      uuid NOT NULL REFERENCES patients (id),
    package_id      uuid NOT NULL REFERENCES packages (id),
    sessions_total  integer NOT NULL CHECK (sessions_total > 0),
    sessions_used   integer NOT NULL CHECK (sessions_used >= 0),
    purchased_on    date NOT NULL,
    expires_on      date NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (sessions_used <= sessions_total),
    CHECK (purchased_on <= expires_on)
);
CREATE INDEX patient_packages_patient_idx ON patient_packages (patient_id);
ALTER TABLE appointments
    ADD CONSTRAINT appointments_patient_package_fk FOREIGN KEY (patient_package_id) REFERENCES patient_packages (id);

CREATE TABLE conversations (
    id              uuid PRIMARY KEY,
    clinic_id       uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    phone           text NOT NULL,
    patient_id      uuid REFERENCES patients (id),
    owner           text NOT NULL CHECK (owner IN ('bot', 'human', 'paused')),
    paused_until    timestamptz,
    state           jsonb NOT NULL,
    lease_holder    text,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK ((owner = 'paused') = (paused_until IS NOT NULL)),
    UNIQUE (clinic_id, phone)
);

CREATE TABLE messages (
    id                  uuid PRIMARY KEY,
    clinic_id           uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id     uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    channel_id          uuid REFERENCES channels (id),
    direction           text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- Inbound: who typed it (patient, staff_phone). Outbound: bot or agent.
    author              text NOT NULL,
    kind                text NOT NULL,
    body                text NOT NULL,
    payload             jsonb NOT NULL,
    provider_message_id text,
    idempotency_key     text UNIQUE,
    delivery_status     text CHECK (delivery_status IN ('pending', 'sent', 'delivered', 'read', 'played', 'failed')),
    error               text,
    processed_at        timestamptz,
    sent_at             timestamptz,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CHECK ((direction = 'outbound') = (delivery_status IS NOT NULL))
);
-- A provider delivers the same message again and again; it is stored once per channel.
CREATE UNIQUE INDEX messages_provider_id_idx ON messages (channel_id, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);
CREATE INDEX messages_unprocessed_idx ON messages (conversation_id) WHERE direction = 'inbound' AND processed_at IS NULL;

CREATE TABLE audit_log (
    id              uuid PRIMARY KEY,
    clinic_id       uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
    tool            text NOT NULL,
    arguments       jsonb NOT NULL,
    result          jsonb NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),
    duration_ms     integer NOT NULL CHECK (duration_ms >= 0),
    created_at      timestamptz NOT NULL
);
CREATE INDEX audit_log_conversation_idx ON audit_log (conversation_id, created_at);

CREATE TABLE handoffs (
    id              uuid PRIMARY KEY,
    clinic_id       uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    reason          text NOT NULL,
    status          text NOT NULL CHECK (status IN ('open', 'resolved')),
    external_ref    text,
    created_at      timestamptz NOT NULL,
    resolved_at     timestamptz
);
CREATE INDEX handoffs_open_idx ON handoffs (clinic_id, status, created_at);

CREATE TABLE interactions (
    id          uuid PRIMARY KEY,
    clinic_id   uuid NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id  uuid REFERENCES patients (id) ON DELETE CASCADE,
    lead_id     uuid REFERENCES leads (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    summary     text NOT NULL,
    data        jsonb NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX interactions_patient_idx ON interactions (patient_id, created_at);
