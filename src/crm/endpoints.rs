//! Each clinic's CRM endpoints with their signing keys, read from the environment once at
//! start: a missing or malformed secret stops the start naming the clinic and the field,
//! never the secret.

use std::collections::HashMap;

use sofia_core::clinic::Clinic;
use sofia_core::domain::{ClinicId, TenantId};

use super::signature::{SigningKey, SigningKeyError};

#[derive(Debug, thiserror::Error)]
pub enum CrmSetupError {
    #[error(
        "clinic '{tenant}': crm_webhooks[{index}].secret_env: the environment variable {variable} is not set"
    )]
    MissingSecret { tenant: TenantId, index: usize, variable: String },
    #[error("clinic '{tenant}': crm_webhooks[{index}].secret_env: the value of {variable} {problem}")]
    BadSecret {
        tenant: TenantId,
        index: usize,
        variable: String,
        #[source]
        problem: SigningKeyError,
    },
}

/// The endpoints of the clinics this process serves, by clinic and URL.
#[derive(Debug, Default)]
pub struct CrmEndpoints {
    keys: HashMap<(ClinicId, String), SigningKey>,
    tenants: HashMap<ClinicId, TenantId>,
}

impl CrmEndpoints {
    pub fn new(clinics: &[&Clinic], env: &dyn Fn(&str) -> Option<String>) -> Result<Self, CrmSetupError> {
        let mut endpoints = CrmEndpoints::default();
        for clinic in clinics {
            for (index, hook) in clinic.crm_webhooks.iter().enumerate() {
                let variable = hook.secret_env.clone();
                let secret = env(&variable).filter(|value| !value.trim().is_empty()).ok_or_else(|| {
                    CrmSetupError::MissingSecret {
                        tenant: clinic.tenant.clone(),
                        index,
                        variable: variable.clone(),
                    }
                })?;
                let key = SigningKey::parse(&secret).map_err(|problem| CrmSetupError::BadSecret {
                    tenant: clinic.tenant.clone(),
                    index,
                    variable,
                    problem,
                })?;
                endpoints.keys.insert((clinic.id, hook.url.clone()), key);
                endpoints.tenants.insert(clinic.id, clinic.tenant.clone());
            }
        }
        Ok(endpoints)
    }

    /// The key of `url` as `clinic`'s file declares it.
    pub fn key(&self, clinic: ClinicId, url: &str) -> Option<&SigningKey> {
        self.keys.get(&(clinic, url.to_owned()))
    }

    /// The clinics with at least one endpoint.
    pub fn clinics(&self) -> Vec<ClinicId> {
        self.tenants.keys().copied().collect()
    }

    /// The clinic's name for metrics and logs.
    pub fn tenant(&self, clinic: ClinicId) -> String {
        self.tenants.get(&clinic).map_or_else(|| clinic.to_string(), ToString::to_string)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
