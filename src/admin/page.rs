//! Cursor pages: `?limit=` rows, and `next_cursor` to pass as `?cursor=` for the next page
//! (absent on the last). A cursor is opaque to callers: the last row's sort time and id,
//! base64url-encoded.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::http::ApiError;
use crate::store::{After, PageRequest};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the page before; the first page without it.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200 (50 when left out).
    pub limit: Option<u32>,
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl PageQuery {
    /// What to ask the store: one row more than the page, to know whether another follows.
    pub fn request(&self) -> Result<(PageRequest, u32), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::BadRequest(format!("limit must be between 1 and {MAX_LIMIT}")));
        }
        let after = self.cursor.as_deref().map(decode).transpose()?;
        Ok((PageRequest { after, limit: limit + 1 }, limit))
    }
}

/// The page of `rows` (as the store answered [`PageQuery::request`]), each shown by `view`,
/// with the cursor of the last shown row when more follow.
pub fn page<R, T>(
    mut rows: Vec<R>,
    limit: u32,
    key: impl Fn(&R) -> After,
    view: impl FnMut(R) -> T,
) -> Page<T> {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|row| encode(key(row))) } else { None };
    Page { items: rows.into_iter().map(view).collect(), next_cursor }
}

fn encode(after: After) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{}", after.at.to_rfc3339_opts(SecondsFormat::AutoSi, true), after.id))
}

fn decode(cursor: &str) -> Result<After, ApiError> {
    let bad = || ApiError::BadRequest("cursor is not one this API gave".to_owned());
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (at, id) = text.split_once('|').ok_or_else(bad)?;
    Ok(After {
        at: DateTime::parse_from_rfc3339(at).map_err(|_| bad())?.to_utc(),
        id: Uuid::parse_str(id).map_err(|_| bad())?,
    })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    #[test]
    fn a_cursor_comes_back_as_the_row_it_names() {
        let after = After { at: DateTime::<Utc>::UNIX_EPOCH, id: Uuid::now_v7() };
        assert_eq!(decode(&encode(after)).unwrap(), after);
        assert!(decode("not a cursor").is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode("2026-01-01T00:00:00Z|nope")).is_err());
    }

    #[test]
    fn a_page_says_whether_another_follows() {
        let rows = |n: u32| -> Vec<(DateTime<Utc>, Uuid)> {
            (0..n).map(|i| (DateTime::<Utc>::UNIX_EPOCH, Uuid::from_u128(u128::from(i)))).collect()
        };
        let key = |row: &(DateTime<Utc>, Uuid)| After { at: row.0, id: row.1 };
        let full = page(rows(3), 2, key, |row| row.1);
        assert_eq!(full.items.len(), 2);
        assert_eq!(decode(full.next_cursor.as_deref().unwrap()).unwrap().id, Uuid::from_u128(1));
        assert!(page(rows(2), 2, key, |row| row.1).next_cursor.is_none());
        let limits = |limit| PageQuery { cursor: None, limit: Some(limit) }.request().map(|(_, l)| l);
        assert!(limits(0).is_err() && limits(201).is_err());
        assert_eq!(limits(200).unwrap(), 200);
    }
}
