//! `sofia keys` on a fresh folder: a key is printed once and works against the API, the list
//! never shows it, and revoking it locks it out.

use std::path::Path;
use std::process::{Command, Output};

use crate::app::TestApp;
use crate::support::repo_path;

fn sofia(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sofia"))
        .args(args)
        .current_dir(dir)
        .env("SOFIA_KNOWLEDGE_DIR", repo_path("knowledge"))
        .env_remove("RUST_LOG")
        .output()
        .expect("start sofia")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_creates_lists_and_revokes_a_key() {
    let dir = std::env::temp_dir().join(format!("sofia-keys-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let created =
        sofia(&dir, &["keys", "create", "--tenant", "demo", "--role", "agent", "--name", "recepcao"]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let key = text(&created.stdout).trim().to_owned();
    assert!(key.starts_with("sofia_") && key.len() == 49, "the key alone on stdout: {key}");
    let prefix = &key[..14];
    assert!(
        text(&created.stderr)
            .contains(&format!("Created key {prefix} (recepcao, demo, agent; never expires)"))
    );

    let listed = sofia(&dir, &["keys", "list"]);
    let table = text(&listed.stdout);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let row = table.lines().find(|line| line.starts_with(prefix)).unwrap_or_else(|| panic!("{table}"));
    for cell in ["recepcao", "demo", "agent", "never", "active"] {
        assert!(row.contains(cell), "{cell}: {table}");
    }
    assert!(!table.contains(&key[14..]), "never the key: {table}");

    let database = format!("sqlite://{}", dir.join("data/sofia.db").display());
    let app = TestApp::spawn(&database).await;
    let leads = app.client.get(app.url("/api/v1/clinics/demo/leads")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(leads.status().as_u16(), 200);

    let revoked = sofia(&dir, &["keys", "revoke", prefix]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert!(text(&revoked.stdout).contains(&format!("Revoked key {prefix} (recepcao)")));
    let after = app.client.get(app.url("/api/v1/clinics/demo/leads")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(after.status().as_u16(), 401);
    app.shutdown().await;
    assert!(text(&sofia(&dir, &["keys", "list"]).stdout).contains("revoked"));

    let unknown = sofia(&dir, &["keys", "revoke", "sofia_nothing0"]);
    let no_clinic =
        sofia(&dir, &["keys", "create", "--tenant", "nenhuma", "--role", "viewer", "--name", "x"]);
    let no_role = sofia(&dir, &["keys", "create", "--tenant", "demo", "--role", "root", "--name", "x"]);
    let everywhere = sofia(&dir, &["keys", "create", "--all-tenants", "--role", "viewer", "--name", "bi"]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        !unknown.status.success() && text(&unknown.stderr).contains("no key has the prefix"),
        "{unknown:?}"
    );
    assert!(!no_clinic.status.success() && text(&no_clinic.stderr).contains("nenhuma"), "{no_clinic:?}");
    assert!(!no_role.status.success(), "{no_role:?}");
    assert!(
        everywhere.status.success() && text(&everywhere.stderr).contains("all clinics"),
        "{everywhere:?}"
    );
}
