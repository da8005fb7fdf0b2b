//! LGPD through the admin API: a patient's export holds what Sofia knows of them, and after
//! their erasure no table holds their phone number or what they wrote, raw payloads included.

use reqwest::Method;
use serde_json::{Value, json};
use sofia::store::{
    ApiRole, AuditEntry, Author, ChatwootLink, DeadLetter, InboundReceipt, InboundWrite, Interaction,
    NewChatwootEvent, NewInbound, ToolOutcome,
};
use sofia_core::domain::{
    ChatwootContactId, ChatwootConversationId, InteractionKind, MessageId, MessageKind, Phone, ProviderKind,
};
use sqlx::{Connection, Row};

use super::{Api, MARIA};
use crate::support::{TestDb, at, conformance};

conformance!(
    a_patient_is_exported_then_erased_leaving_no_trace_of_phone_or_words,
    export_and_erasure_are_for_admins_of_the_clinic_only,
);

/// What the patient wrote: long and particular enough to be found anywhere it was copied.
const WORDS: &str = "quero desmarcar porque estou com uma alergia forte no rosto";

/// The phone as providers write it in raw payloads.
const DIGITS: &str = "5511987654321";

async fn a_patient_is_exported_then_erased_leaving_no_trace_of_phone_or_words(db: TestDb) {
    let api = Api::start(db).await;
    leave_traces(&api).await;
    let admin = api.key(Some("demo"), ApiRole::Admin).await;
    let patient = api.demo.patient.0;

    let (status, export) = api.get(&format!("/api/v1/clinics/demo/patients/{patient}/export"), &admin).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["patient"]["phone"], MARIA);
    assert_eq!(export["appointments"].as_array().unwrap().len(), 1);
    assert_eq!(export["lead"]["interest"], "Botox");
    let text = export.to_string();
    assert!(text.contains(WORDS), "the export has what they wrote: {text}");
    for part in ["handoffs", "tool_calls", "messages"] {
        assert!(!export["conversations"][0][part].as_array().unwrap().is_empty(), "{part}: {export}");
    }
    assert!(!export["interactions"].as_array().unwrap().is_empty(), "{export}");
    assert!(traces(&api.db).await.len() > 5, "the traces are there before the erasure");

    let (status, erased) = api
        .call(Method::DELETE, &format!("/api/v1/clinics/demo/patients/{patient}"), Some(&admin), None)
        .await;

    assert_eq!(status, 200, "{erased}");
    assert_eq!(erased["appointments_kept"], 1, "{erased}");
    assert_eq!(erased["dead_letters"], 1, "{erased}");
    assert_eq!(erased["chatwoot_events"], 1, "{erased}");
    assert_eq!(erased["unsent_messages"], 1, "the queued reply is not sent: {erased}");
    let left = traces(&api.db).await;
    assert!(left.is_empty(), "personal data left after the erasure: {left:#?}");
    let (status, detail) = api.get(&format!("/api/v1/clinics/demo/patients/{patient}"), &admin).await;
    assert_eq!(status, 200, "the anonymous record stays for the clinic's books: {detail}");
    assert_eq!(detail["patient"]["name"], Value::Null);
    assert_eq!(detail["appointments"].as_array().unwrap().len(), 1, "{detail}");
    let (_, audit) = api.get(&format!("/api/v1/clinics/demo/patients/{patient}/export"), &admin).await;
    assert!(!audit.to_string().contains(DIGITS), "{audit}");
}

async fn export_and_erasure_are_for_admins_of_the_clinic_only(db: TestDb) {
    let api = Api::start(db).await;
    let patient = api.demo.patient.0;
    let export = format!("/api/v1/clinics/demo/patients/{patient}/export");
    let erase = format!("/api/v1/clinics/demo/patients/{patient}");
    let agent = api.key(Some("demo"), ApiRole::Agent).await;
    let other_admin = api.key(Some("outra"), ApiRole::Admin).await;

    assert_eq!(api.get(&export, &agent).await.0, 403);
    assert_eq!(api.call(Method::DELETE, &erase, Some(&agent), None).await.0, 403);
    assert_eq!(api.call(Method::DELETE, &erase, None, None).await.0, 401);
    assert_eq!(api.get(&export, &other_admin).await.0, 404);
    let theirs = format!("/api/v1/clinics/outra/patients/{patient}");
    assert_eq!(api.call(Method::DELETE, &theirs, Some(&other_admin), None).await.0, 404);
    assert!(!traces(&api.db).await.is_empty(), "nothing was erased");
}

/// What a real conversation leaves besides the seed (patient, lead, appointment, a queued
/// reply, a handoff): the patient's message with its raw payload, a tool call, a timeline
/// entry, the Chatwoot contact link and an event Chatwoot sent about it, and a dead letter
/// from the same phone.
async fn leave_traces(api: &Api) {
    let store = api.db.store.as_ref();
    let clinic = api.knowledge.clinic("demo");
    let now = at(crate::app::NOW);
    let message = NewInbound {
        id: MessageId::new_random(),
        clinic_id: clinic.id,
        channel_id: clinic.channels[0].id(&clinic.tenant),
        phone: Phone::parse(MARIA).unwrap(),
        provider_message_id: "wamid.LGPD1".into(),
        author: Author::Patient,
        kind: MessageKind::Text,
        body: WORDS.into(),
        payload: json!({ "from": DIGITS, "text": { "body": WORDS } }),
        received_at: now,
    };
    let stored = store.record_inbound_batch(&[InboundWrite { message, push_name: None }]).await.unwrap();
    assert!(matches!(stored[..], [InboundReceipt::Stored { .. }]), "{stored:?}");
    let conversation = api.demo.conversation;
    store
        .record_tool_call(&AuditEntry {
            clinic_id: clinic.id,
            conversation_id: Some(conversation),
            tool: "cancel_appointment".into(),
            arguments: json!({ "reason": WORDS }),
            result: json!({ "patient": "Maria Silva", "phone": MARIA }),
            outcome: ToolOutcome::Ok,
            duration_ms: 3,
            created_at: now,
        })
        .await
        .unwrap();
    store
        .record_interaction(&Interaction {
            clinic_id: clinic.id,
            patient_id: Some(api.demo.patient),
            lead_id: None,
            kind: InteractionKind::Cancelled,
            summary: format!("Maria Silva disse: {WORDS}"),
            data: json!({ "phone": MARIA }),
            created_at: now,
        })
        .await
        .unwrap();
    store
        .save_chatwoot_link(&ChatwootLink {
            conversation_id: conversation,
            clinic_id: clinic.id,
            contact_id: ChatwootContactId(77),
            chatwoot_conversation_id: ChatwootConversationId(88),
            created_at: now,
        })
        .await
        .unwrap();
    store
        .record_chatwoot_event(&NewChatwootEvent {
            id: uuid::Uuid::now_v7(),
            clinic_id: clinic.id,
            dedup_key: "message_created/1".into(),
            event: "message_created".into(),
            payload: json!({ "content": WORDS, "sender": { "phone_number": MARIA } }),
            received_at: now,
        })
        .await
        .unwrap();
    store
        .record_dead_letter(&DeadLetter {
            id: uuid::Uuid::now_v7(),
            provider: ProviderKind::Evolution,
            channel_id: None,
            reason: "data.message: unreadable".into(),
            body: format!(r#"{{"data":{{"key":{{"remoteJid":"{DIGITS}@s.whatsapp.net"}}}}}}"#).into_bytes(),
            received_at: now,
        })
        .await
        .unwrap();
}

/// Every `table.column` whose value holds the patient's phone digits, name or words.
async fn traces(db: &TestDb) -> Vec<String> {
    let needles = [DIGITS, "Maria Silva", WORDS];
    let mut found = Vec::new();
    if db.url.starts_with("sqlite:") {
        let mut connection = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
        )
        .fetch_all(&mut connection)
        .await
        .unwrap();
        for table in tables {
            let columns: Vec<String> =
                sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(&mut connection)
                    .await
                    .unwrap();
            for column in columns {
                let values: Vec<Option<Vec<u8>>> =
                    sqlx::query_scalar(&format!("SELECT CAST(\"{column}\" AS BLOB) FROM \"{table}\""))
                        .fetch_all(&mut connection)
                        .await
                        .unwrap();
                let texts = values.iter().flatten().map(|bytes| String::from_utf8_lossy(bytes));
                if texts.into_iter().any(|value| needles.iter().any(|n| value.contains(n))) {
                    found.push(format!("{table}.{column}"));
                }
            }
        }
    } else {
        let mut connection = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_name NOT LIKE '\\_sqlx%'",
        )
        .fetch_all(&mut connection)
        .await
        .unwrap();
        for table in tables {
            // A whole row as text; a bytea column shows as hex, so look for the hex of each needle too.
            let rows = sqlx::query(&format!("SELECT CAST(t AS text) AS row FROM \"{table}\" AS t"))
                .fetch_all(&mut connection)
                .await
                .unwrap();
            let hexes: Vec<String> = needles.iter().map(hex::encode).collect();
            for row in rows {
                let text: String = row.get("row");
                if needles.iter().any(|n| text.contains(n)) || hexes.iter().any(|h| text.contains(h.as_str()))
                {
                    found.push(format!("{table}: {text}"));
                }
            }
        }
    }
    found
}
