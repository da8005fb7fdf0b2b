//! Each provider's requests, exactly as its API documents them, and how its errors are classified.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};
use sofia::channels::evolution::EvolutionProvider;
use sofia::channels::meta::MetaProvider;
use sofia::channels::zapi::ZapiProvider;
use sofia::channels::{
    ChannelConfigError, ConsoleProvider, Fault, ListRow, OutboundMessage, Provider, ReplyButton, SendError,
    provider_from_spec,
};
use sofia::core::clinic::ChannelSpec;
use sofia::core::domain::ProviderKind;
use sofia::secret::Secret;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{id, phone};

const PHONE_NUMBER_ID: &str = "109876543210987";
const ZAPI_INSTANCE: &str = "3C67AB641C8AA0412F6A2242B4E23AC7";
const ZAPI_TOKEN: &str = "F0E1D2C3B4A5968778695A4B";

pub fn meta(server: &MockServer) -> MetaProvider {
    MetaProvider::new(
        reqwest::Client::new(),
        &server.uri(),
        "v21.0",
        PHONE_NUMBER_ID,
        Secret::new("meta-token"),
    )
    .unwrap()
}

pub fn evolution(server: &MockServer) -> EvolutionProvider {
    EvolutionProvider::new(reqwest::Client::new(), &server.uri(), "bella-forma", Secret::new("evo-api-key"))
        .unwrap()
}

pub fn zapi(server: &MockServer) -> ZapiProvider {
    ZapiProvider::new(
        reqwest::Client::new(),
        &server.uri(),
        ZAPI_INSTANCE,
        Secret::new(ZAPI_TOKEN),
        Secret::new("zapi-client-token"),
    )
    .unwrap()
}

pub const META_PATH: &str = "/v21.0/109876543210987/messages";

pub fn zapi_path(action: &str) -> String {
    format!("/instances/{ZAPI_INSTANCE}/token/{ZAPI_TOKEN}/{action}")
}

pub fn meta_sent(wamid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{ "input": "5511987654321", "wa_id": "5511987654321" }],
        "messages": [{ "id": wamid }],
    }))
}

pub fn meta_error(code: i64) -> ResponseTemplate {
    meta_error_with_status(400, code)
}

/// Graph API errors usually come as HTTP 400 whatever they mean; some (expired token) as 401.
pub fn meta_error_with_status(status: u16, code: i64) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": { "message": format!("(#{code}) refused"), "type": "OAuthException", "code": code,
                   "fbtrace_id": "AbCdEf123456" }
    }))
}

pub fn evolution_sent(key_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "key": { "remoteJid": "5511987654321@s.whatsapp.net", "fromMe": true, "id": key_id },
        "pushName": "Você", "status": "PENDING", "message": { "conversation": "…" },
        "messageType": "conversation", "messageTimestamp": 1_772_452_805, "source": "unknown",
    }))
}

pub fn zapi_sent(message_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "zaapId": "3999984263738042930CD6ECDE9VDWSA", "messageId": message_id, "id": message_id,
    }))
}

pub fn confirm_buttons() -> OutboundMessage {
    OutboundMessage::buttons(
        "Posso confirmar sua avaliação de terça, 03/03, às 14h?",
        vec![ReplyButton::new("confirmar", "Confirmar"), ReplyButton::new("remarcar", "Remarcar")],
    )
    .unwrap()
}

fn slots_list() -> OutboundMessage {
    OutboundMessage::list(
        "Qual horário prefere?",
        "Ver horários",
        vec![
            ListRow::new("slot_1", "Ter 03/03 14:00", Some("Dra. Ana Paula Souza".into())),
            ListRow::new("slot_2", "Ter 03/03 15:30", None),
        ],
    )
    .unwrap()
    .with_header("Horários livres")
    .unwrap()
}

async fn expect_request(
    server: &MockServer,
    at: &str,
    auth: (&str, &str),
    body: Value,
    reply: ResponseTemplate,
) {
    Mock::given(method("POST"))
        .and(path(at))
        .and(header(auth.0, auth.1))
        .and(body_json(body))
        .respond_with(reply)
        .expect(1)
        .mount(server)
        .await;
}

async fn failing_send(provider: &dyn Provider, message: &OutboundMessage) -> SendError {
    provider.send(&phone("+5511987654321"), message).await.unwrap_err()
}

const META_AUTH: (&str, &str) = ("authorization", "Bearer meta-token");
const EVOLUTION_AUTH: (&str, &str) = ("apikey", "evo-api-key");
const ZAPI_AUTH: (&str, &str) = ("client-token", "zapi-client-token");

#[tokio::test]
async fn meta_sends_text_buttons_list_and_templates_as_documented() {
    let server = MockServer::start().await;
    let envelope = |kind: &str, payload: Value| {
        let mut body = json!({ "messaging_product": "whatsapp", "recipient_type": "individual",
                               "to": "5511987654321", "type": kind });
        body[kind] = payload;
        body
    };
    expect_request(
        &server,
        META_PATH,
        META_AUTH,
        envelope("text", json!({ "preview_url": false, "body": "Oi Maria! Atendemos aos sábados." })),
        meta_sent("wamid.TEXT"),
    )
    .await;
    expect_request(
        &server,
        META_PATH,
        META_AUTH,
        envelope(
            "interactive",
            json!({
                "type": "button",
                "body": { "text": "Posso confirmar sua avaliação de terça, 03/03, às 14h?" },
                "action": { "buttons": [
                    { "type": "reply", "reply": { "id": "confirmar", "title": "Confirmar" } },
                    { "type": "reply", "reply": { "id": "remarcar", "title": "Remarcar" } },
                ] },
            }),
        ),
        meta_sent("wamid.BUTTONS"),
    )
    .await;
    expect_request(
        &server,
        META_PATH,
        META_AUTH,
        envelope(
            "interactive",
            json!({
                "type": "list",
                "header": { "type": "text", "text": "Horários livres" },
                "body": { "text": "Qual horário prefere?" },
                "action": { "button": "Ver horários", "sections": [{ "rows": [
                    { "id": "slot_1", "title": "Ter 03/03 14:00", "description": "Dra. Ana Paula Souza" },
                    { "id": "slot_2", "title": "Ter 03/03 15:30" },
                ] }] },
            }),
        ),
        meta_sent("wamid.LIST"),
    )
    .await;
    expect_request(
        &server,
        META_PATH,
        META_AUTH,
        envelope(
            "template",
            json!({
                "name": "lembrete_consulta",
                "language": { "code": "pt_BR" },
                "components": [{ "type": "body", "parameters": [
                    { "type": "text", "text": "Maria" }, { "type": "text", "text": "03/03 às 14h" },
                ] }],
            }),
        ),
        meta_sent("wamid.TEMPLATE"),
    )
    .await;

    let meta = meta(&server);
    let to = phone("+5511987654321");
    let template =
        OutboundMessage::template("lembrete_consulta", "pt_BR", vec!["Maria".into(), "03/03 às 14h".into()])
            .unwrap();
    for (message, expected) in [
        (OutboundMessage::text("Oi Maria! Atendemos aos sábados.").unwrap(), "wamid.TEXT"),
        (confirm_buttons(), "wamid.BUTTONS"),
        (slots_list(), "wamid.LIST"),
        (template, "wamid.TEMPLATE"),
    ] {
        assert_eq!(meta.send(&to, &message).await.unwrap().provider_message_id, id(expected));
    }
}

#[tokio::test]
async fn meta_typing_and_read_receipts() {
    let server = MockServer::start().await;
    let wamid = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMDFDMEZFOTk1QjU0RjM5QTQ3AA==";
    let success = || ResponseTemplate::new(200).set_body_json(json!({ "success": true }));
    expect_request(
        &server,
        META_PATH,
        META_AUTH,
        json!({ "messaging_product": "whatsapp", "status": "read", "message_id": wamid,
                "typing_indicator": { "type": "text" } }),
        success(),
    )
    .await;
    expect_request(
        &server,
        META_PATH,
        META_AUTH,
        json!({ "messaging_product": "whatsapp", "status": "read", "message_id": wamid }),
        success(),
    )
    .await;
    let meta = meta(&server);
    meta.typing(&phone("+5511987654321"), &id(wamid)).await.unwrap();
    meta.mark_read(&phone("+5511987654321"), &id(wamid)).await.unwrap();
}

#[tokio::test]
async fn meta_errors_are_classified_by_code_not_http_status() {
    let text = OutboundMessage::text("Oi").unwrap();
    for (reply, expected) in [
        (meta_error(130429), "retryable"),
        (meta_error(131056), "retryable"),
        (meta_error(131047), "window"),
        (meta_error(131026), "recipient"),
        (meta_error_with_status(401, 190), "channel"),
        (meta_error(100), "message"),
        (ResponseTemplate::new(500), "retryable"),
        (ResponseTemplate::new(503).set_body_json(json!({ "error": { "code": 131000 } })), "retryable"),
        // From a proxy in front of the provider, which may have passed the request on.
        (ResponseTemplate::new(502), "unconfirmed"),
        (ResponseTemplate::new(504), "unconfirmed"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(reply).mount(&server).await;
        let error = failing_send(&meta(&server), &text).await;
        let kind = match &error {
            SendError::Retryable { .. } => "retryable",
            SendError::WindowClosed => "window",
            SendError::Permanent { fault: Fault::Recipient, .. } => "recipient",
            SendError::Permanent { fault: Fault::Channel, .. } => "channel",
            SendError::Permanent { fault: Fault::Message, .. } => "message",
            SendError::InteractiveUnsupported { .. } => "interactive",
            SendError::Unconfirmed { .. } => "unconfirmed",
            SendError::NotStarted { .. } => "not started (only the router says it)",
        };
        assert_eq!(kind, expected, "{error}");
        assert!(!error.to_string().contains("meta-token"));
    }
}

#[tokio::test]
async fn a_send_without_an_answer_is_unconfirmed_but_one_that_never_connected_is_retryable() {
    let text = OutboundMessage::text("Oi").unwrap();
    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(evolution_sent("3EB0LATE").set_delay(std::time::Duration::from_millis(800)))
        .mount(&slow)
        .await;
    let impatient =
        reqwest::Client::builder().timeout(std::time::Duration::from_millis(200)).build().unwrap();
    let provider =
        EvolutionProvider::new(impatient.clone(), &slow.uri(), "bella-forma", Secret::new("evo-api-key"))
            .unwrap();
    let error = failing_send(&provider, &text).await;
    assert!(matches!(error, SendError::Unconfirmed { .. }), "the request went out: {error}");

    // Nothing listens on port 9: the message cannot have left.
    let nowhere =
        EvolutionProvider::new(impatient, "http://127.0.0.1:9", "bella-forma", Secret::new("evo-api-key"))
            .unwrap();
    let error = failing_send(&nowhere, &text).await;
    assert!(matches!(error, SendError::Retryable { .. }), "{error}");
    assert!(!error.to_string().contains("127.0.0.1"), "no URL in the reason: {error}");
}

#[tokio::test]
async fn meta_rejecting_an_interactive_type_asks_for_the_fallback() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(meta_error(131051)).mount(&server).await;
    assert!(matches!(
        failing_send(&meta(&server), &confirm_buttons()).await,
        SendError::InteractiveUnsupported { .. }
    ));
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .mount(&server)
        .await;
    let text = OutboundMessage::text("Oi").unwrap();
    for provider in [&meta(&server) as &dyn Provider, &evolution(&server), &zapi(&server)] {
        let error = failing_send(provider, &text).await;
        assert!(
            matches!(error, SendError::Retryable { retry_after: Some(wait), .. } if wait == Duration::from_secs(7)),
            "{:?}: {error}",
            provider.kind()
        );
    }
}

#[tokio::test]
async fn evolution_sends_text_buttons_and_lists_as_documented() {
    let server = MockServer::start().await;
    expect_request(
        &server,
        "/message/sendText/bella-forma",
        EVOLUTION_AUTH,
        json!({ "number": "5511987654321", "text": "Oi Maria! Atendemos aos sábados.", "linkPreview": false }),
        evolution_sent("3EB0TEXT"),
    )
    .await;
    expect_request(
        &server,
        "/message/sendButtons/bella-forma",
        EVOLUTION_AUTH,
        json!({
            "number": "5511987654321",
            "description": "Posso confirmar sua avaliação de terça, 03/03, às 14h?",
            "buttons": [
                { "type": "reply", "displayText": "Confirmar", "id": "confirmar" },
                { "type": "reply", "displayText": "Remarcar", "id": "remarcar" },
            ],
        }),
        evolution_sent("3EB0BUTTONS"),
    )
    .await;
    expect_request(
        &server,
        "/message/sendList/bella-forma",
        EVOLUTION_AUTH,
        json!({
            "number": "5511987654321",
            "title": "Horários livres",
            "description": "Qual horário prefere?",
            "buttonText": "Ver horários",
            "footerText": "",
            "sections": [{ "title": "Ver horários", "rows": [
                { "title": "Ter 03/03 14:00", "description": "Dra. Ana Paula Souza", "rowId": "slot_1" },
                { "title": "Ter 03/03 15:30", "rowId": "slot_2" },
            ] }],
        }),
        evolution_sent("3EB0LIST"),
    )
    .await;
    let evolution = evolution(&server);
    let to = phone("+5511987654321");
    for (message, expected) in [
        (OutboundMessage::text("Oi Maria! Atendemos aos sábados.").unwrap(), "3EB0TEXT"),
        (confirm_buttons(), "3EB0BUTTONS"),
        (slots_list(), "3EB0LIST"),
    ] {
        assert_eq!(evolution.send(&to, &message).await.unwrap().provider_message_id, id(expected));
    }
}

#[tokio::test]
async fn evolution_presence_and_read_receipts() {
    let server = MockServer::start().await;
    expect_request(
        &server,
        "/chat/sendPresence/bella-forma",
        EVOLUTION_AUTH,
        json!({ "number": "5511987654321", "presence": "composing", "delay": 3000 }),
        ResponseTemplate::new(201).set_body_json(json!({ "presence": "composing" })),
    )
    .await;
    expect_request(
        &server,
        "/chat/markMessageAsRead/bella-forma",
        EVOLUTION_AUTH,
        json!({ "readMessages": [{ "remoteJid": "5511987654321@s.whatsapp.net", "fromMe": false,
                                   "id": "3EB0C431D5A2B7F8E9A1" }] }),
        ResponseTemplate::new(201).set_body_json(json!({ "message": "Read messages", "read": "success" })),
    )
    .await;
    let evolution = evolution(&server);
    evolution.typing(&phone("+5511987654321"), &id("3EB0C431D5A2B7F8E9A1")).await.unwrap();
    evolution.mark_read(&phone("+5511987654321"), &id("3EB0C431D5A2B7F8E9A1")).await.unwrap();
}

#[tokio::test]
async fn evolution_errors() {
    let cases = [
        (
            ResponseTemplate::new(400).set_body_json(json!({ "status": 400, "error": "Bad Request", "response": {
                "message": [{ "exists": false, "jid": "5511900000000@s.whatsapp.net", "number": "5511900000000" }] } })),
            OutboundMessage::text("Oi").unwrap(),
        ),
        (ResponseTemplate::new(500), OutboundMessage::text("Oi").unwrap()),
        (ResponseTemplate::new(401), OutboundMessage::text("Oi").unwrap()),
        (ResponseTemplate::new(400), confirm_buttons()),
    ];
    let mut errors = Vec::new();
    for (reply, message) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(reply).mount(&server).await;
        errors.push(failing_send(&evolution(&server), &message).await);
    }
    assert!(matches!(errors[0], SendError::Permanent { fault: Fault::Recipient, .. }));
    assert!(!errors[0].to_string().contains("5511900000000"), "numbers stay out of errors");
    assert!(matches!(errors[1], SendError::Retryable { retry_after: None, .. }));
    assert!(matches!(errors[2], SendError::Permanent { fault: Fault::Channel, .. }));
    assert!(matches!(errors[3], SendError::InteractiveUnsupported { .. }));
}

#[tokio::test]
async fn zapi_sends_text_buttons_and_option_lists_as_documented() {
    let server = MockServer::start().await;
    expect_request(
        &server,
        &zapi_path("send-text"),
        ZAPI_AUTH,
        json!({ "phone": "5511987654321", "message": "Oi Maria! Atendemos aos sábados." }),
        zapi_sent("3EB0TEXT"),
    )
    .await;
    expect_request(
        &server,
        &zapi_path("send-button-list"),
        ZAPI_AUTH,
        json!({
            "phone": "5511987654321",
            "message": "Posso confirmar sua avaliação de terça, 03/03, às 14h?",
            "buttonList": { "buttons": [
                { "id": "confirmar", "label": "Confirmar" },
                { "id": "remarcar", "label": "Remarcar" },
            ] },
        }),
        zapi_sent("3EB0BUTTONS"),
    )
    .await;
    expect_request(
        &server,
        &zapi_path("send-option-list"),
        ZAPI_AUTH,
        json!({
            "phone": "5511987654321",
            "message": "Qual horário prefere?",
            "optionList": {
                "title": "Horários livres",
                "buttonLabel": "Ver horários",
                "options": [
                    { "id": "slot_1", "title": "Ter 03/03 14:00", "description": "Dra. Ana Paula Souza" },
                    { "id": "slot_2", "title": "Ter 03/03 15:30" },
                ],
            },
        }),
        zapi_sent("3EB0LIST"),
    )
    .await;
    expect_request(
        &server,
        &zapi_path("read-message"),
        ZAPI_AUTH,
        json!({ "phone": "5511987654321", "messageId": "3EB0C431D5A2B7F8E9A1" }),
        ResponseTemplate::new(204),
    )
    .await;
    let zapi = zapi(&server);
    let to = phone("+5511987654321");
    for (message, expected) in [
        (OutboundMessage::text("Oi Maria! Atendemos aos sábados.").unwrap(), "3EB0TEXT"),
        (confirm_buttons(), "3EB0BUTTONS"),
        (slots_list(), "3EB0LIST"),
    ] {
        assert_eq!(zapi.send(&to, &message).await.unwrap().provider_message_id, id(expected));
    }
    zapi.mark_read(&to, &id("3EB0C431D5A2B7F8E9A1")).await.unwrap();
}

#[tokio::test]
async fn transport_failures_are_retryable_and_never_show_the_url_or_tokens() {
    // Nothing listens on port 9 of localhost.
    let zapi = ZapiProvider::new(
        reqwest::Client::new(),
        "http://127.0.0.1:9",
        ZAPI_INSTANCE,
        Secret::new(ZAPI_TOKEN),
        Secret::new("zapi-client-token"),
    )
    .unwrap();
    let error = failing_send(&zapi, &OutboundMessage::text("Oi").unwrap()).await;
    assert!(matches!(error, SendError::Retryable { .. }), "{error}");
    let shown = format!("{error} {error:?}");
    for secret in [ZAPI_TOKEN, "zapi-client-token", "127.0.0.1"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn a_2xx_without_a_message_id_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let error = failing_send(&zapi(&server), &OutboundMessage::text("Oi").unwrap()).await;
    assert!(matches!(error, SendError::Permanent { fault: Fault::Message, .. }), "{error}");
}

#[tokio::test]
async fn templates_are_meta_only() {
    let server = MockServer::start().await;
    let template = OutboundMessage::template("lembrete_consulta", "pt_BR", vec![]).unwrap();
    for provider in [&evolution(&server) as &dyn Provider, &zapi(&server)] {
        assert!(!provider.can_send(&template));
        assert!(matches!(
            failing_send(provider, &template).await,
            SendError::Permanent { fault: Fault::Message, .. }
        ));
    }
    assert!(meta(&server).can_send(&template));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_console_hands_out_ids_without_sending() {
    let sent = ConsoleProvider.send(&phone("+5511987654321"), &confirm_buttons()).await.unwrap();
    assert!(sent.provider_message_id.as_str().starts_with("console-"));
}

#[test]
fn channels_are_built_from_the_clinic_file_with_secrets_from_the_environment() {
    let env: HashMap<&str, &str> =
        [("META_TOKEN", "t"), ("EVO_KEY", "k"), ("ZAPI_TOKEN", "z"), ("ZAPI_CLIENT", "c")].into();
    let lookup = |name: &str| env.get(name).map(|value| value.to_string());
    let http = reqwest::Client::new();
    let specs = [
        ChannelSpec::Console,
        ChannelSpec::Meta {
            phone_number_id: PHONE_NUMBER_ID.into(),
            access_token_env: "META_TOKEN".into(),
            api_version: "v21.0".into(),
            base_url: "https://graph.facebook.com".into(),
        },
        ChannelSpec::Evolution {
            base_url: "https://evo.exemplo.com.br".into(),
            instance: "bella-forma".into(),
            api_key_env: "EVO_KEY".into(),
            webhook_key_env: "EVO_WEBHOOK".into(),
        },
        ChannelSpec::Zapi {
            base_url: "https://api.z-api.io".into(),
            instance_id: ZAPI_INSTANCE.into(),
            token_env: "ZAPI_TOKEN".into(),
            client_token_env: "ZAPI_CLIENT".into(),
            webhook_key_env: "ZAPI_WEBHOOK".into(),
        },
    ];
    let kinds: Vec<ProviderKind> =
        specs.iter().map(|spec| provider_from_spec(spec, &http, &lookup).unwrap().kind()).collect();
    assert_eq!(
        kinds,
        [ProviderKind::Console, ProviderKind::Meta, ProviderKind::Evolution, ProviderKind::Zapi]
    );

    let no_secrets = |_: &str| None;
    assert_eq!(
        provider_from_spec(&specs[1], &http, &no_secrets).err(),
        Some(ChannelConfigError::MissingSecret { var: "META_TOKEN".into() })
    );
    let bad_url = ChannelSpec::Evolution {
        base_url: "evo.exemplo.com.br".into(),
        instance: "bella-forma".into(),
        api_key_env: "EVO_KEY".into(),
        webhook_key_env: "EVO_WEBHOOK".into(),
    };
    assert!(matches!(
        provider_from_spec(&bad_url, &http, &lookup).err(),
        Some(ChannelConfigError::InvalidBaseUrl { .. })
    ));
}
