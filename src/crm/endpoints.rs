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

#[cfg(test)]
mod tests {
    use sofia_core::domain::TenantId;

    use super::*;

    fn clinic() -> Clinic {
        let demo = include_str!("../../knowledge/demo/clinic.yaml");
        let yaml = format!(
            "{demo}crm_webhooks:\n  - url: https://crm.clinica.com.br/hooks/sofia\n    \
             secret_env: BELLA_CRM_WEBHOOK_SECRET\n    events: [lead.qualified]\n"
        );
        Clinic::from_yaml(TenantId::parse("demo").unwrap(), &yaml).unwrap()
    }

    #[test]
    fn a_missing_or_malformed_secret_names_the_clinic_and_field_never_the_value() {
        let clinic = clinic();
        let missing = CrmEndpoints::new(&[&clinic], &|_| None).unwrap_err().to_string();
        assert_eq!(
            missing,
            "clinic 'demo': crm_webhooks[0].secret_env: the environment variable BELLA_CRM_WEBHOOK_SECRET is not set"
        );
        let plain = |_: &str| Some("my-crm-password-123".to_owned());
        let malformed = CrmEndpoints::new(&[&clinic], &plain).unwrap_err().to_string();
        assert!(malformed.starts_with("clinic 'demo': crm_webhooks[0].secret_env: the value of BELLA_CRM_WEBHOOK_SECRET is not a Standard Webhooks secret"), "{malformed}");
        assert!(!malformed.contains("my-crm-password-123"));

        let good = |_: &str| Some("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned());
        let endpoints = CrmEndpoints::new(&[&clinic], &good).unwrap();
        assert!(endpoints.key(clinic.id, "https://crm.clinica.com.br/hooks/sofia").is_some());
        assert_eq!(endpoints.clinics(), [clinic.id]);
    }
}
