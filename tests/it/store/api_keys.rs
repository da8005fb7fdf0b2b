//! Admin API keys: found by their hash, listed without the key, revoked once, their use
//! recorded at most once a minute; and the admin API's keyset pages.

use chrono::Duration;
use sofia::store::{ApiRole, NewApiKey, PageRequest, PatientSearch, StoreError};
use sofia_core::domain::{Phone, TenantId};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    a_key_is_found_by_its_hash,
    revoking_keeps_the_first_time_and_an_unknown_prefix_is_not_found,
    a_key_used_often_is_written_once_a_minute,
    pages_of_rows_written_in_one_instant_neither_repeat_nor_skip,
    patients_are_found_by_phone_digits_or_any_case_of_their_name,
);

const NOW: &str = "2026-03-02T09:00:00-03:00";

fn new_key(prefix: &str, tenant: Option<&str>, role: ApiRole) -> NewApiKey {
    NewApiKey {
        prefix: prefix.to_owned(),
        key_hash: format!("{prefix}-hash"),
        name: "recepcao".to_owned(),
        tenant: tenant.map(|t| TenantId::parse(t).unwrap()),
        role,
        created_at: at(NOW),
        expires_at: Some(at(NOW) + Duration::days(30)),
    }
}

async fn a_key_is_found_by_its_hash(db: TestDb) {
    let created =
        db.store.create_api_key(&new_key("sofia_AAAAAAAA", Some("demo"), ApiRole::Agent)).await.unwrap();
    db.store.create_api_key(&new_key("sofia_BBBBBBBB", None, ApiRole::Admin)).await.unwrap();

    let found = db.store.api_key_by_hash("sofia_AAAAAAAA-hash").await.unwrap().unwrap();
    assert_eq!(found, created);
    assert_eq!((found.role, found.tenant.as_ref().map(TenantId::as_str)), (ApiRole::Agent, Some("demo")));
    assert!(found.is_live(at(NOW)) && !found.is_live(at(NOW) + Duration::days(30)), "expires");
    assert!(db.store.api_key_by_hash("nothing").await.unwrap().is_none());
    let listed: Vec<String> = db.store.api_keys().await.unwrap().into_iter().map(|k| k.prefix).collect();
    assert_eq!(listed, ["sofia_AAAAAAAA", "sofia_BBBBBBBB"]);
    let twice = db.store.create_api_key(&new_key("sofia_AAAAAAAA", None, ApiRole::Viewer)).await;
    assert!(matches!(twice, Err(ref e) if e.lost_a_race()), "a prefix names one key: {twice:?}");
}

async fn revoking_keeps_the_first_time_and_an_unknown_prefix_is_not_found(db: TestDb) {
    db.store.create_api_key(&new_key("sofia_AAAAAAAA", Some("demo"), ApiRole::Viewer)).await.unwrap();

    let revoked = db.store.revoke_api_key("sofia_AAAAAAAA", at(NOW)).await.unwrap();
    let again = db.store.revoke_api_key("sofia_AAAAAAAA", at(NOW) + Duration::hours(1)).await.unwrap();
    let unknown = db.store.revoke_api_key("sofia_ZZZZZZZZ", at(NOW)).await;

    assert_eq!(revoked.revoked_at, Some(at(NOW)));
    assert_eq!(again.revoked_at, Some(at(NOW)), "the first revocation stands");
    assert!(!again.is_live(at(NOW)));
    assert!(matches!(unknown, Err(StoreError::NotFound(_))), "{unknown:?}");
}

async fn a_key_used_often_is_written_once_a_minute(db: TestDb) {
    let key = db.store.create_api_key(&new_key("sofia_AAAAAAAA", None, ApiRole::Viewer)).await.unwrap();
    let last_used =
        || async { db.store.api_key_by_hash("sofia_AAAAAAAA-hash").await.unwrap().unwrap().last_used_at };

    db.store.api_key_used(key.id, at(NOW)).await.unwrap();
    db.store.api_key_used(key.id, at(NOW) + Duration::seconds(30)).await.unwrap();
    assert_eq!(last_used().await, Some(at(NOW)));
    db.store.api_key_used(key.id, at(NOW) + Duration::seconds(61)).await.unwrap();
    assert_eq!(last_used().await, Some(at(NOW) + Duration::seconds(61)));
}

async fn pages_of_rows_written_in_one_instant_neither_repeat_nor_skip(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic.id;
    for i in 0..7 {
        let phone = Phone::parse(&format!("+55119876543{i:02}")).unwrap();
        db.store.upsert_patient(clinic, &phone, Some("Paciente"), at(NOW)).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = db
            .store
            .search_patients(clinic, &PatientSearch::default(), PageRequest { after, limit: 3 })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(sofia::store::After { at: last.created_at, id: last.id.0 });
        seen.extend(page.into_iter().map(|p| p.phone.as_str().to_owned()));
    }
    let mut expected: Vec<String> = (0..7).map(|i| format!("+55119876543{i:02}")).collect();
    seen.sort();
    expected.sort();
    assert_eq!(seen, expected);
}

async fn patients_are_found_by_phone_digits_or_any_case_of_their_name(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic.id;
    let phone = |p: &str| Phone::parse(p).unwrap();
    db.store.upsert_patient(clinic, &phone("+5511987654321"), Some("Maria Silva"), at(NOW)).await.unwrap();
    db.store.upsert_patient(clinic, &phone("+5511912345678"), Some("João Prado"), at(NOW)).await.unwrap();
    db.store.upsert_patient(clinic, &phone("+5511955550000"), Some("100% Maria_"), at(NOW)).await.unwrap();
    let first = PageRequest { after: None, limit: 10 };
    let db = &db;
    let names = |search: PatientSearch| async move {
        let found = db.store.search_patients(clinic, &search, first).await.unwrap();
        found.into_iter().filter_map(|p| p.name).collect::<Vec<_>>()
    };

    assert_eq!(
        names(PatientSearch { phone_digits: Some("98765".into()), name: None }).await,
        ["Maria Silva"]
    );
    assert_eq!(
        names(PatientSearch { phone_digits: None, name: Some("MARIA".into()) }).await,
        ["Maria Silva", "100% Maria_"]
    );
    assert_eq!(names(PatientSearch { phone_digits: None, name: Some("0% m".into()) }).await, ["100% Maria_"]);
    assert_eq!(
        names(PatientSearch { phone_digits: None, name: Some("a_".into()) }).await,
        ["100% Maria_"],
        "_ is literal"
    );
    assert!(
        names(PatientSearch { phone_digits: Some("1234".into()), name: Some("maria".into()) })
            .await
            .is_empty()
    );
}
