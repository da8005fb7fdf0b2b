//! Which clinic a Chatwoot webhook belongs to: the secret key in its URL
//! (`/webhooks/chatwoot/{key}`), and the secret newer Chatwoot versions sign deliveries with.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{ClinicId, TenantId};

use super::client::ChatwootConfigError;
use crate::channels::MIN_WEBHOOK_KEY_LEN;
use crate::secret::Secret;

/// A clinic's Chatwoot webhook.
#[derive(Debug, Clone)]
pub struct ChatwootHook {
    pub clinic_id: ClinicId,
    pub tenant: TenantId,
    /// When set, every delivery must carry a valid `X-Chatwoot-Signature`.
    pub hmac_secret: Option<Secret>,
    /// The variable holding the key: what `serve` shows instead of the key itself.
    pub key_variable: String,
}

/// The clinics' Chatwoot webhooks, found by the SHA-256 of their key (so the lookup does not
/// leak, through its timing, how much of a guessed key was right).
#[derive(Debug, Default)]
pub struct ChatwootHooks {
    by_key: HashMap<[u8; 32], ChatwootHook>,
}

impl ChatwootHooks {
    /// Reads each clinic's webhook key (and HMAC secret, when named) through `env`. A clinic
    /// with a `chatwoot` section must have a key of at least [`MIN_WEBHOOK_KEY_LEN`]
    /// characters, its own; a named HMAC variable must be set.
    pub fn new(
        clinics: &[&Clinic],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ChatwootConfigError> {
        let mut by_key = HashMap::new();
        for clinic in clinics {
            let Some(spec) = &clinic.chatwoot else { continue };
            let variable = &spec.webhook_key_env;
            let key = env(variable)
                .map(|key| key.trim().to_owned())
                .filter(|key| !key.is_empty())
                .ok_or_else(|| ChatwootConfigError::MissingWebhookKey {
                    clinic: clinic.tenant.clone(),
                    variable: variable.clone(),
                })?;
            if key.chars().count() < MIN_WEBHOOK_KEY_LEN {
                return Err(ChatwootConfigError::WeakWebhookKey {
                    clinic: clinic.tenant.clone(),
                    variable: variable.clone(),
                });
            }
            let hmac_secret = match &spec.hmac_secret_env {
                None => None,
                Some(name) => {
                    Some(env(name).filter(|secret| !secret.trim().is_empty()).map(Secret::new).ok_or_else(
                        || ChatwootConfigError::MissingHmacSecret {
                            clinic: clinic.tenant.clone(),
                            variable: name.clone(),
                        },
                    )?)
                }
            };
            let hook = ChatwootHook {
                clinic_id: clinic.id,
                tenant: clinic.tenant.clone(),
                hmac_secret,
                key_variable: variable.clone(),
            };
            if by_key.insert(digest(&key), hook).is_some() {
                return Err(ChatwootConfigError::SharedWebhookKey {
                    clinic: clinic.tenant.clone(),
                    variable: variable.clone(),
                });
            }
        }
        Ok(ChatwootHooks { by_key })
    }

    /// The clinic whose webhook key is `key`.
    pub fn find(&self, key: &str) -> Option<&ChatwootHook> {
        self.by_key.get(&digest(key.trim()))
    }

    /// Every clinic's webhook, in tenant order: for `serve` to print where to point Chatwoot.
    pub fn all(&self) -> Vec<&ChatwootHook> {
        let mut hooks: Vec<&ChatwootHook> = self.by_key.values().collect();
        hooks.sort_by(|a, b| a.tenant.as_str().cmp(b.tenant.as_str()));
        hooks
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}
