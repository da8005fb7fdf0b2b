use sofia::clinics;
use sofia::store::{CatalogCounts, SyncOutcome};
use sofia_core::domain::{ClinicId, ProviderKind, TenantId};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    loads_the_demo_catalogue,
    loading_twice_changes_nothing,
    a_changed_file_updates_and_deactivates,
    finds_channels,
    answers_a_ping
);

async fn loads_the_demo_catalogue(db: TestDb) {
    let loaded = demo_clinic();
    let outcome = clinics::sync(db.store.as_ref(), &loaded, at("2026-03-02T09:00:00-03:00")).await.unwrap();
    assert_eq!(outcome, SyncOutcome::Created);
    let counts = db.store.catalog_counts(loaded.clinic.id).await.unwrap();
    assert_eq!(counts, CatalogCounts { services: 9, professionals: 3, packages: 2, channels: 1 });
}

async fn loading_twice_changes_nothing(db: TestDb) {
    let loaded = demo_clinic();
    let now = at("2026-03-02T09:00:00-03:00");
    clinics::sync(db.store.as_ref(), &loaded, now).await.unwrap();
    assert_eq!(clinics::sync(db.store.as_ref(), &loaded, now).await.unwrap(), SyncOutcome::Unchanged);
    let counts = db.store.catalog_counts(loaded.clinic.id).await.unwrap();
    assert_eq!((counts.services, counts.professionals, counts.packages), (9, 3, 2));
}

async fn a_changed_file_updates_and_deactivates(db: TestDb) {
    let mut loaded = demo_clinic();
    let now = at("2026-03-02T09:00:00-03:00");
    clinics::sync(db.store.as_ref(), &loaded, now).await.unwrap();
    // The clinic stops offering its packages and renames nothing else.
    loaded.clinic.packages.clear();
    loaded.content_hash = "edited".into();
    assert_eq!(clinics::sync(db.store.as_ref(), &loaded, now).await.unwrap(), SyncOutcome::Updated);
    let counts = db.store.catalog_counts(loaded.clinic.id).await.unwrap();
    assert_eq!((counts.services, counts.professionals, counts.packages), (9, 3, 0));
}

async fn finds_channels(db: TestDb) {
    let db = db.with_demo(at("2026-03-02T09:00:00-03:00")).await;
    let demo = ClinicId::for_tenant(&TenantId::parse("demo").unwrap());
    let console = db.store.channel_id(demo, ProviderKind::Console, "console").await.unwrap();
    assert_eq!(console, Some(demo_clinic().clinic.channels[0].id(&demo_clinic().clinic.tenant)));
    assert_eq!(db.store.channel_id(demo, ProviderKind::Meta, "123").await.unwrap(), None);
}

async fn answers_a_ping(db: TestDb) {
    db.store.ping().await.unwrap();
}
