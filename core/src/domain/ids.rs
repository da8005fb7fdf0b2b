//! Identifiers. Clinics are named by a short slug; everything else by a UUID newtype so that a
//! patient id can never be passed where an appointment id is expected.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

/// A clinic (tenant), named by the folder under `knowledge/` it is loaded from: `demo`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TenantId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a clinic id: use 1 to 64 lower-case letters, digits and '-'")]
pub struct TenantIdError(pub String);

impl TenantId {
    pub fn parse(input: &str) -> Result<Self, TenantIdError> {
        let ok = (1..=64).contains(&input.len())
            && input.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !input.starts_with('-');
        if ok { Ok(TenantId(input.to_owned())) } else { Err(TenantIdError(input.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TenantId({})", self.0)
    }
}

impl std::str::FromStr for TenantId {
    type Err = TenantIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TenantId::parse(s)
    }
}

impl<'de> Deserialize<'de> for TenantId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        TenantId::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Namespace for ids derived from a clinic's own names, so that loading the same
/// `clinic.yaml` into any database gives the same ids (idempotent loads, stable evals).
const SOFIA_NAMESPACE: Uuid = Uuid::from_u128(0x5f1a_c11e_0000_4000_8000_50f1_a000_0001);

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new unique id. Time-ordered (UUIDv7, monotonic within the process), so that
            /// rows written in the same instant — every row of an eval, whose clock is
            /// frozen — still sort in the order they were created.
            pub fn new_random() -> Self {
                $name(Uuid::now_v7())
            }

            /// The same id for the same clinic and name, in every database.
            pub fn derived(tenant: &TenantId, name: &str) -> Self {
                let key = format!("{}/{}/{}", stringify!($name), tenant.as_str(), name);
                $name(Uuid::new_v5(&SOFIA_NAMESPACE, key.as_bytes()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }
    };
}

uuid_id!(
    /// A clinic's row id (derived from its [`TenantId`]).
    ClinicId
);
uuid_id!(ProfessionalId);
uuid_id!(ServiceId);
uuid_id!(PackageId);
uuid_id!(PatientId);
uuid_id!(LeadId);
uuid_id!(AppointmentId);
uuid_id!(PatientPackageId);
uuid_id!(ConversationId);
uuid_id!(MessageId);
uuid_id!(ChannelId);
uuid_id!(HandoffId);

impl ClinicId {
    pub fn for_tenant(tenant: &TenantId) -> Self {
        ClinicId::derived(tenant, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_are_slugs() {
        assert!(TenantId::parse("demo").is_ok());
        assert!(TenantId::parse("bella-forma-2").is_ok());
        for bad in ["", "Demo", "-x", "a b", "../etc", &"a".repeat(65)] {
            assert!(TenantId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let demo = TenantId::parse("demo").unwrap();
        let other = TenantId::parse("other").unwrap();
        assert_eq!(ServiceId::derived(&demo, "Botox"), ServiceId::derived(&demo, "Botox"));
        assert_ne!(ServiceId::derived(&demo, "Botox"), ServiceId::derived(&other, "Botox"));
        assert_ne!(ServiceId::derived(&demo, "Botox").0, ProfessionalId::derived(&demo, "Botox").0);
    }
}
