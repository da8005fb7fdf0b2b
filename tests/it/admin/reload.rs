//! Reloading a clinic from its folder while Sofia serves: through the admin API and through the
//! loop that watches the folders. What the next patient hears is the new file; a file that does
//! not load, or that changes what `serve` wired at start, changes nothing.

use serde_json::Value;
use sha2::{Digest, Sha256};
use sofia::store::ApiRole;

use super::key;
use crate::app::TEST_TENANT;
use crate::media::{Scene, scene};
use crate::support::{TestDb, conformance};

conformance!(
    the_next_patient_hears_the_reloaded_price,
    a_clinic_file_that_does_not_load_changes_nothing,
    a_changed_channel_needs_a_restart,
    the_loop_applies_a_changed_folder_once,
);

const OLD_PRICE: &str = "R$ 800,00";
const NEW_PRICE: &str = "R$ 950,00";

fn clinic_file(scene: &Scene) -> std::path::PathBuf {
    scene.knowledge.dir.join(TEST_TENANT).join("clinic.yaml")
}

/// Rewrites the test clinic's file with `edit` applied.
fn edit_clinic_file(scene: &Scene, edit: impl Fn(&str) -> String) {
    let path = clinic_file(scene);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changes the file");
    std::fs::write(&path, edited).unwrap();
}

fn sha256_of_file(scene: &Scene) -> String {
    hex::encode(Sha256::digest(std::fs::read(clinic_file(scene)).unwrap()))
}

/// Maria asks the price of Botox on Evolution (message `id`); Sofia's answer.
async fn ask_botox_price(scene: &Scene, id: &str) -> String {
    scene
        .patient_sends("evolution", "text.json", |body| {
            body.replace("Oi! Vocês atendem no sábado?", "quanto custa o botox?")
                .replace("3EB0C431D5A2B7F8E9A1", id)
        })
        .await
}

async fn reload(scene: &Scene, key: &str) -> (u16, Value) {
    let path = format!("/api/v1/clinics/{TEST_TENANT}/reload");
    let response = scene.app.client.post(scene.app.url(&path)).bearer_auth(key).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The running clinic as `/api/v1/clinics` shows it.
async fn running(scene: &Scene, key: &str) -> Value {
    let response =
        scene.app.client.get(scene.app.url("/api/v1/clinics")).bearer_auth(key).send().await.unwrap();
    let clinics: Value = response.json().await.unwrap();
    clinics.as_array().unwrap().iter().find(|c| c["tenant"] == TEST_TENANT).unwrap().clone()
}

async fn the_next_patient_hears_the_reloaded_price(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    let admin = key(scene.db.store.as_ref(), Some(TEST_TENANT), ApiRole::Admin).await;
    assert!(ask_botox_price(&scene, "3EB0000000000000000001").await.contains(OLD_PRICE));

    edit_clinic_file(&scene, |text| {
        text.replace(&format!("price: \"{OLD_PRICE}\""), &format!("price: \"{NEW_PRICE}\""))
    });
    let (status, reloaded) = reload(&scene, &admin).await;
    assert_eq!(status, 200, "{reloaded}");
    assert_eq!(reloaded["catalog"], "updated");
    assert_eq!(reloaded["clinic"]["file_sha256"], sha256_of_file(&scene));
    assert!(reloaded["knowledge"]["documents"].as_u64().unwrap() > 0, "{reloaded}");
    assert_eq!(running(&scene, &admin).await["file_sha256"], sha256_of_file(&scene));

    let answer = ask_botox_price(&scene, "3EB0000000000000000002").await;
    assert!(answer.contains(NEW_PRICE), "{answer}");
    assert!(!answer.contains(OLD_PRICE), "{answer}");

    // Reloading an unchanged folder changes nothing, and says so.
    let (status, again) = reload(&scene, &admin).await;
    assert_eq!((status, again["catalog"].as_str()), (200, Some("unchanged")));
    assert_eq!(again["knowledge"]["added"], 0);
}

async fn a_clinic_file_that_does_not_load_changes_nothing(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    let admin = key(scene.db.store.as_ref(), Some(TEST_TENANT), ApiRole::Admin).await;
    let before = running(&scene, &admin).await;

    edit_clinic_file(&scene, |text| {
        text.replace(&format!("price: \"{OLD_PRICE}\""), "price: \"oitocentos\"")
    });
    let (status, refused) = reload(&scene, &admin).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("unprocessable")), "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("clinic.yaml"), "{refused}");
    assert_eq!(running(&scene, &admin).await, before);
    assert!(ask_botox_price(&scene, "3EB0000000000000000003").await.contains(OLD_PRICE));

    // Nor does the loop apply it, on its next look.
    scene.app.reloader.reload_changed().await;
    assert_eq!(running(&scene, &admin).await, before);
}

async fn a_changed_channel_needs_a_restart(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    let admin = key(scene.db.store.as_ref(), Some(TEST_TENANT), ApiRole::Admin).await;
    let before = running(&scene, &admin).await;

    edit_clinic_file(&scene, |text| {
        text.replace("instance: bella-forma", "instance: bella-forma-2")
            .replace(&format!("price: \"{OLD_PRICE}\""), &format!("price: \"{NEW_PRICE}\""))
    });
    let (status, refused) = reload(&scene, &admin).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (409, Some("conflict")), "{refused}");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("channels") && message.contains("restart"), "{message}");
    // All or nothing: the price in the same file is not applied either.
    assert_eq!(running(&scene, &admin).await, before);
    assert!(ask_botox_price(&scene, "3EB0000000000000000004").await.contains(OLD_PRICE));
}

async fn the_loop_applies_a_changed_folder_once(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    let admin = key(scene.db.store.as_ref(), Some(TEST_TENANT), ApiRole::Admin).await;
    let before = running(&scene, &admin).await;

    // Nothing changed since start: the loop's round leaves the clinic as it is.
    scene.app.reloader.reload_changed().await;
    assert_eq!(running(&scene, &admin).await, before);

    edit_clinic_file(&scene, |text| {
        text.replace(&format!("price: \"{OLD_PRICE}\""), &format!("price: \"{NEW_PRICE}\""))
    });
    std::fs::write(
        clinic_file(&scene).with_file_name("fraldario.md"),
        "# Fraldário\n\nTemos fraldário no térreo, ao lado da recepção, com trocador e poltrona.\n",
    )
    .unwrap();
    scene.app.reloader.reload_changed().await;
    let after = running(&scene, &admin).await;
    assert_eq!(after["file_sha256"], sha256_of_file(&scene));
    assert!(ask_botox_price(&scene, "3EB0000000000000000005").await.contains(NEW_PRICE));
    let answer = scene
        .patient_sends("evolution", "text.json", |body| {
            body.replace("Oi! Vocês atendem no sábado?", "vocês tem fraldário?")
                .replace("3EB0C431D5A2B7F8E9A1", "3EB0000000000000000006")
        })
        .await;
    assert!(answer.contains("trocador"), "{answer}");
}
