//! Who is calling: the `Authorization: Bearer sofia_…` key of every `/api/v1` request, what
//! it may see and do, and a limit on failed attempts per client address.
//!
//! The order of the answers is what keeps ids secret: no key or a dead one is 401; a clinic
//! the key does not see is 404, the same as a clinic that does not exist; only then a role too
//! low is 403. So a key never learns from a 403 that another clinic's id exists.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use sofia_core::domain::TenantId;

use super::keys::{self, KEY_PREFIX};
use crate::channels::{RateLimit, TokenBucket};
use crate::clinics::LoadedClinic;
use crate::http::{ApiError, AppState};
use crate::store::{ApiKey, ApiRole};

/// The caller of an `/api/v1` route: a live key. Extracting it is the authentication.
#[derive(Debug)]
pub struct Caller {
    key: ApiKey,
}

impl Caller {
    /// The clinic `tenant`, if the key sees it (404 otherwise, whether or not it exists), and
    /// if the key's role allows what the route does (403 otherwise).
    pub fn clinic(
        &self,
        state: &AppState,
        tenant: &str,
        needed: ApiRole,
    ) -> Result<Arc<LoadedClinic>, ApiError> {
        let clinic = TenantId::parse(tenant)
            .ok()
            .filter(|tenant| self.key.sees(tenant))
            .and_then(|tenant| state.clinics.by_tenant(&tenant))
            .ok_or(ApiError::NotFound)?;
        self.require(needed)?;
        Ok(clinic)
    }

    /// 403 unless the key's role allows `needed`.
    pub fn require(&self, needed: ApiRole) -> Result<(), ApiError> {
        if self.key.role.allows(needed) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!("this needs the {needed} role; the key is {}", self.key.role)))
        }
    }

    /// Whether the key sees `tenant`'s data.
    pub fn sees(&self, tenant: &TenantId) -> bool {
        self.key.sees(tenant)
    }

    /// Who did it, for the patient's timeline and the audit: the key's name.
    pub fn name(&self) -> &str {
        &self.key.name
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let client = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        let client = client.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let now = state.clock.now();
        if state.auth_failures.locked_out(client, now) {
            return Err(ApiError::TooManyRequests);
        }
        let presented =
            parts.headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok()).and_then(bearer);
        let key = match presented {
            Some(presented) => state.store.api_key_by_hash(&keys::hash(presented)).await?,
            None => None,
        };
        match key.filter(|key| key.is_live(now)) {
            Some(key) => {
                // A missed last_used_at is not worth refusing the request for.
                if let Err(error) = state.store.api_key_used(key.id, now).await {
                    tracing::warn!(%error, key = %key.prefix, "could not record an API key's use");
                }
                Ok(Caller { key })
            }
            None => {
                // Only a key that was looked up counts: a request without one costs nothing
                // and guesses nothing.
                if presented.is_some() {
                    state.auth_failures.failed(client, now);
                }
                // The key itself is never logged, not even a wrong one: it may be a real key
                // pasted into the wrong place.
                tracing::info!(%client, presented = presented.is_some(), "admin API authentication failed");
                Err(ApiError::Unauthorized(
                    "a live API key is required: Authorization: Bearer sofia_…".to_owned(),
                ))
            }
        }
    }
}

/// The key of `Bearer <key>`, when it looks like one of ours (anything else is not hashed).
fn bearer(header: &str) -> Option<&str> {
    let (scheme, key) = header.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && key.starts_with(KEY_PREFIX) && key.len() <= 128).then_some(key)
}

/// Failed authentications (a key presented and not live) per client address: a burst of
/// mistakes is allowed, then the address is refused (429) without its key being looked at,
/// until the bucket refills. Kept
/// per replica, in memory: a guesser spread over replicas gets each one's allowance, which
/// against 256-bit keys changes nothing; what matters is that no address hammers the store.
pub struct AuthFailures {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, TokenBucket>>,
}

/// Past this many addresses tracked, full (forgiven) buckets are forgotten.
const TRACKED_ADDRESSES: usize = 10_000;

impl AuthFailures {
    /// 10 failures at once, then one every 6 seconds (10 a minute).
    pub const DEFAULT: RateLimit = RateLimit::AUTH_FAILURES;

    pub fn new(limit: RateLimit) -> AuthFailures {
        AuthFailures { limit, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether `client` has failed too often lately to be heard.
    fn locked_out(&self, client: IpAddr, now: DateTime<Utc>) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        buckets.get_mut(&client).is_some_and(|bucket| !bucket.has_token(now))
    }

    fn failed(&self, client: IpAddr, now: DateTime<Utc>) {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= TRACKED_ADDRESSES {
            buckets.retain(|_, bucket| !bucket.is_idle(now));
        }
        buckets.entry(client).or_insert_with(|| TokenBucket::new(self.limit, now)).reserve(now);
    }
}

impl Default for AuthFailures {
    fn default() -> Self {
        AuthFailures::new(AuthFailures::DEFAULT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bearer_key_of_ours_is_read() {
        assert_eq!(bearer("Bearer sofia_abc"), Some("sofia_abc"));
        assert_eq!(bearer("bearer  sofia_abc "), Some("sofia_abc"));
        assert_eq!(bearer("Basic sofia_abc"), None);
        assert_eq!(bearer("Bearer sk-123"), None);
        assert_eq!(bearer(&format!("Bearer sofia_{}", "a".repeat(200))), None);
    }

    #[test]
    fn an_address_that_keeps_failing_is_locked_out_until_its_bucket_refills() {
        let failures = AuthFailures::new(RateLimit::new(1.0, 3).unwrap());
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let (guesser, other) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        for _ in 0..3 {
            assert!(!failures.locked_out(guesser, now));
            failures.failed(guesser, now);
        }
        assert!(failures.locked_out(guesser, now));
        assert!(!failures.locked_out(other, now), "per address");
        assert!(!failures.locked_out(guesser, now + chrono::Duration::seconds(1)));
    }
}
