//! Which clinic and channel a webhook belongs to: Meta notifications by `phone_number_id`,
//! Evolution and Z-API callbacks by the secret key in their URL.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sofia_core::clinic::{ChannelSpec, Clinic};
use sofia_core::domain::{ChannelId, ClinicId, ProviderKind, TenantId};

use crate::secret::Secret;

/// Shorter keys could be guessed; 16 random characters are far beyond that.
pub const MIN_WEBHOOK_KEY_LEN: usize = 16;

/// A clinic's channel, as a webhook or a send refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRoute {
    pub tenant: TenantId,
    pub clinic_id: ClinicId,
    pub channel_id: ChannelId,
    pub provider: ProviderKind,
    /// The channel's position in the clinic's priority list.
    pub index: usize,
}

impl ChannelRoute {
    /// The clinic's channel `spec`, at `index` in its priority list.
    pub(super) fn new(clinic: &Clinic, index: usize, spec: &ChannelSpec) -> ChannelRoute {
        ChannelRoute {
            tenant: clinic.tenant.clone(),
            clinic_id: clinic.id,
            channel_id: spec.id(&clinic.tenant),
            provider: spec.provider(),
            index,
        }
    }
}

/// Where an operator points a provider's webhook, with the secret part named, not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub route: ChannelRoute,
    /// The path, e.g. `/webhooks/evolution/<value of CLINICA_EVOLUTION_WEBHOOK_KEY>`.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    #[error("clinic '{tenant}': environment variable {var} (its webhook key) is not set or empty")]
    MissingKey { tenant: TenantId, var: String },
    #[error(
        "clinic '{tenant}': the webhook key in {var} is shorter than {MIN_WEBHOOK_KEY_LEN} characters; \
         use a long random value, it is all that protects the route"
    )]
    WeakKey { tenant: TenantId, var: String },
    #[error("clinic '{tenant}': the webhook key in {var} is also another channel's key")]
    DuplicateKey { tenant: TenantId, var: String },
    #[error(
        "clinic '{tenant}' has a Meta channel, but meta.app_secret and meta.verify_token are not both set"
    )]
    MetaNotConfigured { tenant: TenantId },
    #[error("clinic '{tenant}': Meta phone_number_id {phone_number_id} belongs to another channel already")]
    DuplicateMetaNumber { tenant: TenantId, phone_number_id: String },
}

/// The lookup tables, built once at start from the clinics and the environment.
pub struct WebhookDirectory {
    meta: HashMap<String, ChannelRoute>,
    /// SHA-256 of each Evolution/Z-API key: looking up a digest says nothing, through timing,
    /// about how much of a guessed key was right.
    keyed: HashMap<[u8; 32], ChannelRoute>,
    endpoints: Vec<WebhookEndpoint>,
    meta_app_secret: Secret,
    meta_verify_token: Secret,
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

impl WebhookDirectory {
    /// Reads each channel's webhook key through `env` (the process environment in production).
    pub fn new(
        clinics: &[&Clinic],
        meta_app_secret: Secret,
        meta_verify_token: Secret,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, DirectoryError> {
        let mut directory = WebhookDirectory {
            meta: HashMap::new(),
            keyed: HashMap::new(),
            endpoints: Vec::new(),
            meta_app_secret,
            meta_verify_token,
        };
        for clinic in clinics {
            for (index, spec) in clinic.channels.iter().enumerate() {
                directory.add(ChannelRoute::new(clinic, index, spec), spec, env)?;
            }
        }
        Ok(directory)
    }

    fn add(
        &mut self,
        route: ChannelRoute,
        spec: &ChannelSpec,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), DirectoryError> {
        let tenant = route.tenant.clone();
        let (segment, var) = match spec {
            ChannelSpec::Console => return Ok(()),
            ChannelSpec::Meta { phone_number_id, .. } => {
                if self.meta_app_secret.is_empty() || self.meta_verify_token.is_empty() {
                    return Err(DirectoryError::MetaNotConfigured { tenant });
                }
                if self.meta.contains_key(phone_number_id) {
                    return Err(DirectoryError::DuplicateMetaNumber {
                        tenant,
                        phone_number_id: phone_number_id.clone(),
                    });
                }
                self.meta.insert(phone_number_id.clone(), route.clone());
                if !self.endpoints.iter().any(|e| e.route.provider == ProviderKind::Meta) {
                    self.endpoints.push(WebhookEndpoint { route, path: "/webhooks/meta".to_owned() });
                }
                return Ok(());
            }
            ChannelSpec::Evolution { webhook_key_env, .. } => ("evolution", webhook_key_env),
            ChannelSpec::Zapi { webhook_key_env, .. } => ("zapi", webhook_key_env),
        };
        let key = env(var)
            .filter(|key| !key.trim().is_empty())
            .ok_or_else(|| DirectoryError::MissingKey { tenant: tenant.clone(), var: var.clone() })?;
        if key.chars().count() < MIN_WEBHOOK_KEY_LEN {
            return Err(DirectoryError::WeakKey { tenant, var: var.clone() });
        }
        if self.keyed.insert(digest(&key), route.clone()).is_some() {
            return Err(DirectoryError::DuplicateKey { tenant, var: var.clone() });
        }
        self.endpoints.push(WebhookEndpoint { route, path: format!("/webhooks/{segment}/<value of {var}>") });
        Ok(())
    }

    /// The channel of a Meta business number.
    pub fn meta_channel(&self, phone_number_id: &str) -> Option<&ChannelRoute> {
        self.meta.get(phone_number_id)
    }

    /// The `provider` channel whose webhook key is `key`.
    pub fn keyed_channel(&self, provider: ProviderKind, key: &str) -> Option<&ChannelRoute> {
        self.keyed.get(&digest(key)).filter(|route| route.provider == provider)
    }

    pub fn meta_app_secret(&self) -> &Secret {
        &self.meta_app_secret
    }

    pub fn meta_verify_token(&self) -> &Secret {
        &self.meta_verify_token
    }

    /// Every webhook an operator has to configure, in clinic and priority order.
    pub fn endpoints(&self) -> &[WebhookEndpoint] {
        &self.endpoints
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clinic_with(channels: Vec<ChannelSpec>) -> Clinic {
        let yaml =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge/demo/clinic.yaml"))
                .expect("the demo clinic");
        let mut clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), &yaml).unwrap();
        clinic.channels = channels;
        clinic
    }

    fn evolution(var: &str) -> ChannelSpec {
        ChannelSpec::Evolution {
            base_url: "http://evolution.local".into(),
            instance: format!("inst-{var}"),
            api_key_env: "EVOLUTION_API_KEY".into(),
            webhook_key_env: var.into(),
        }
    }

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn keyed_channels_are_found_by_their_key_and_provider_only() {
        let clinic = clinic_with(vec![ChannelSpec::Console, evolution("EVO_KEY")]);
        let directory = WebhookDirectory::new(
            &[&clinic],
            Secret::new(""),
            Secret::new(""),
            &env(&[("EVO_KEY", "k3y-0f-the-clinic-evolution")]),
        )
        .unwrap();
        let route = directory.keyed_channel(ProviderKind::Evolution, "k3y-0f-the-clinic-evolution").unwrap();
        assert_eq!((route.index, route.channel_id), (1, clinic.channels[1].id(&clinic.tenant)));
        assert!(directory.keyed_channel(ProviderKind::Zapi, "k3y-0f-the-clinic-evolution").is_none());
        assert!(directory.keyed_channel(ProviderKind::Evolution, "k3y-0f-the-clinic-evolutioN").is_none());
        assert_eq!(directory.endpoints()[0].path, "/webhooks/evolution/<value of EVO_KEY>");
    }

    #[test]
    fn missing_short_or_shared_keys_stop_the_start() {
        let clinic = clinic_with(vec![evolution("EVO_KEY")]);
        let none = WebhookDirectory::new(&[&clinic], Secret::new(""), Secret::new(""), &env(&[]));
        assert!(matches!(none, Err(DirectoryError::MissingKey { .. })));
        let short =
            WebhookDirectory::new(&[&clinic], Secret::new(""), Secret::new(""), &env(&[("EVO_KEY", "abc")]));
        assert!(matches!(short, Err(DirectoryError::WeakKey { .. })));
        let two = clinic_with(vec![evolution("EVO_A"), evolution("EVO_B")]);
        let shared = WebhookDirectory::new(
            &[&two],
            Secret::new(""),
            Secret::new(""),
            &env(&[("EVO_A", "same-key-for-both-channels"), ("EVO_B", "same-key-for-both-channels")]),
        );
        assert!(matches!(shared, Err(DirectoryError::DuplicateKey { .. })));
    }

    #[test]
    fn a_meta_channel_needs_the_app_secret_and_verify_token() {
        let meta = ChannelSpec::Meta {
            phone_number_id: "106540352242922".into(),
            access_token_env: "META_TOKEN".into(),
            api_version: "v21.0".into(),
            base_url: "https://graph.facebook.com".into(),
        };
        let clinic = clinic_with(vec![meta]);
        let unset = WebhookDirectory::new(&[&clinic], Secret::new("s"), Secret::new(""), &env(&[]));
        assert!(matches!(unset, Err(DirectoryError::MetaNotConfigured { .. })));
        let directory =
            WebhookDirectory::new(&[&clinic], Secret::new("s"), Secret::new("t"), &env(&[])).unwrap();
        assert_eq!(directory.meta_channel("106540352242922").map(|r| r.index), Some(0));
        assert!(directory.meta_channel("999").is_none());
    }
}
