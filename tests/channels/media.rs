//! Fetching what patients send, per provider, against wiremock: Meta's two steps with the
//! token, Evolution's base64, Z-API's plain URL; and every way a file can be refused.

use std::time::Duration;

use base64::Engine as _;
use serde_json::json;
use sofia::channels::{
    Media, MediaDownloader, MediaError, MediaFetch, MediaKind, MediaLimits, MediaSource, MimeType,
};
use sofia::core::clinic::{ChannelSpec, Clinic};
use sofia::core::domain::{ChannelId, TenantId};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::id;

/// The first bytes of an Ogg file: what a voice note starts with.
const OGG: &[u8] = b"OggS\x00\x02voice-note-bytes";

struct Channels {
    downloader: MediaDownloader,
    meta: ChannelId,
    evolution: ChannelId,
    zapi: ChannelId,
}

/// The demo clinic with a Meta, an Evolution and a Z-API channel, all served by `server`.
fn channels(server: &MockServer, limits: MediaLimits, timeout: Duration) -> Channels {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let mut clinic: Clinic =
        sofia::clinics::load_clinic(&dir, &TenantId::parse("demo").unwrap()).unwrap().clinic;
    clinic.channels = vec![
        ChannelSpec::Meta {
            phone_number_id: "109876543210987".into(),
            access_token_env: "META_TOKEN".into(),
            api_version: "v21.0".into(),
            base_url: server.uri(),
        },
        ChannelSpec::Evolution {
            base_url: server.uri(),
            instance: "bella-forma".into(),
            api_key_env: "EVO_KEY".into(),
            webhook_key_env: "EVO_WEBHOOK".into(),
        },
        ChannelSpec::Zapi {
            base_url: server.uri(),
            instance_id: "3C67AB641C8AA0412F6A2242B4E23AC7".into(),
            token_env: "ZAPI_TOKEN".into(),
            client_token_env: "ZAPI_CLIENT".into(),
            webhook_key_env: "ZAPI_WEBHOOK".into(),
        },
    ];
    let env = |name: &str| match name {
        "META_TOKEN" => Some("meta-token".to_owned()),
        "EVO_KEY" => Some("evo-api-key".to_owned()),
        _ => Some("unused".to_owned()),
    };
    let http = reqwest::Client::builder().timeout(timeout).build().unwrap();
    let downloader = MediaDownloader::new(&[&clinic], http, limits, &env).unwrap();
    let ids: Vec<ChannelId> = clinic.channels.iter().map(|spec| spec.id(&clinic.tenant)).collect();
    Channels { downloader, meta: ids[0], evolution: ids[1], zapi: ids[2] }
}

fn default_channels(server: &MockServer) -> Channels {
    channels(server, MediaLimits::default(), Duration::from_secs(5))
}

fn media(source: MediaSource, mime: &str) -> Media {
    Media { mime_type: Some(mime.to_owned()), source }
}

fn ogg() -> MimeType {
    MimeType::parse("audio/ogg").unwrap()
}

async fn mount_meta_lookup(server: &MockServer, size: usize) {
    Mock::given(method("GET"))
        .and(path("/v21.0/1203456789012345"))
        .and(header("authorization", "Bearer meta-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{}/lookaside/1203456789012345", server.uri()),
            "mime_type": "audio/ogg; codecs=opus",
            "sha256": "q1X0oTgkQ9o9x1iY3tM0eQm0b1Hc8C2b8tq7l0pK1xY=",
            "file_size": size.to_string(),
            "id": "1203456789012345"
        })))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn meta_media_is_a_lookup_then_a_download_both_with_the_token() {
    let server = MockServer::start().await;
    mount_meta_lookup(&server, OGG.len()).await;
    Mock::given(method("GET"))
        .and(path("/lookaside/1203456789012345"))
        .and(header("authorization", "Bearer meta-token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OGG.to_vec(), "audio/ogg"))
        .expect(1)
        .mount(&server)
        .await;
    let channels = default_channels(&server);
    let source = media(MediaSource::MetaId("1203456789012345".into()), "audio/ogg; codecs=opus");
    let file =
        channels.downloader.fetch(channels.meta, &id("wamid.X"), &source, MediaKind::Audio).await.unwrap();
    assert_eq!(file.bytes, OGG);
    assert_eq!(file.mime, ogg());
}

#[tokio::test]
async fn an_expired_meta_url_is_expired() {
    let server = MockServer::start().await;
    mount_meta_lookup(&server, OGG.len()).await;
    Mock::given(method("GET"))
        .and(path("/lookaside/1203456789012345"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let channels = default_channels(&server);
    let source = media(MediaSource::MetaId("1203456789012345".into()), "audio/ogg");
    let error = channels.downloader.fetch(channels.meta, &id("wamid.X"), &source, MediaKind::Audio).await;
    assert_eq!(error, Err(MediaError::Expired));
}

#[tokio::test]
async fn a_file_meta_says_is_too_big_is_never_downloaded() {
    let server = MockServer::start().await;
    mount_meta_lookup(&server, 50 * 1024 * 1024).await;
    Mock::given(method("GET"))
        .and(path("/lookaside/1203456789012345"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OGG.to_vec(), "audio/ogg"))
        .expect(0)
        .mount(&server)
        .await;
    let channels = default_channels(&server);
    let source = media(MediaSource::MetaId("1203456789012345".into()), "audio/ogg");
    let error = channels.downloader.fetch(channels.meta, &id("wamid.X"), &source, MediaKind::Audio).await;
    assert_eq!(error, Err(MediaError::TooLarge { limit: MediaLimits::default().audio }));
}

#[tokio::test]
async fn evolution_media_is_the_base64_of_get_base64_from_media_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/getBase64FromMediaMessage/bella-forma"))
        .and(header("apikey", "evo-api-key"))
        .and(body_json(
            json!({ "message": { "key": { "id": "3EB0F1E2D3C4B5A69788" } }, "convertToMp4": false }),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "mediaType": "audioMessage",
            "fileName": "3EB0F1E2D3C4B5A69788.oga",
            "mimetype": "audio/ogg; codecs=opus",
            "base64": base64::engine::general_purpose::STANDARD.encode(OGG),
        })))
        .expect(1)
        .mount(&server)
        .await;
    let channels = default_channels(&server);
    let source = media(MediaSource::EvolutionMessage, "audio/ogg; codecs=opus");
    let file = channels
        .downloader
        .fetch(channels.evolution, &id("3EB0F1E2D3C4B5A69788"), &source, MediaKind::Audio)
        .await
        .unwrap();
    assert_eq!(file.bytes, OGG);
    assert_eq!(file.mime, ogg());
}

#[tokio::test]
async fn an_evolution_file_over_the_limit_is_refused_after_decoding() {
    let server = MockServer::start().await;
    let big = vec![7u8; 3000];
    Mock::given(method("POST"))
        .and(path("/chat/getBase64FromMediaMessage/bella-forma"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "mimetype": "image/jpeg",
            "base64": base64::engine::general_purpose::STANDARD.encode(&big),
        })))
        .mount(&server)
        .await;
    let limits = MediaLimits { image: 2000, ..MediaLimits::default() };
    let channels = channels(&server, limits, Duration::from_secs(5));
    let source = media(MediaSource::EvolutionMessage, "image/jpeg");
    let error = channels.downloader.fetch(channels.evolution, &id("3EB0"), &source, MediaKind::Image).await;
    assert_eq!(error, Err(MediaError::TooLarge { limit: 2000 }));
}

#[tokio::test]
async fn zapi_media_is_a_plain_download_of_the_callback_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/instances/3C67/3EB0F1E2D3C4B5A69788.ogg"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OGG.to_vec(), "audio/ogg"))
        .expect(1)
        .mount(&server)
        .await;
    let channels = default_channels(&server);
    let url = format!("{}/instances/3C67/3EB0F1E2D3C4B5A69788.ogg", server.uri());
    let source = media(MediaSource::Url(url), "audio/ogg; codecs=opus");
    let file =
        channels.downloader.fetch(channels.zapi, &id("3EB0"), &source, MediaKind::Audio).await.unwrap();
    assert_eq!(file.bytes, OGG);
}

#[tokio::test]
async fn a_url_serving_a_web_page_is_the_wrong_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/file"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"<html>login</html>".to_vec(), "text/html"))
        .mount(&server)
        .await;
    let channels = default_channels(&server);
    let source = media(MediaSource::Url(format!("{}/file", server.uri())), "audio/ogg");
    let error = channels.downloader.fetch(channels.zapi, &id("3EB0"), &source, MediaKind::Audio).await;
    assert_eq!(error, Err(MediaError::WrongType { found: "text/html".into() }));
}

#[tokio::test]
async fn a_generic_content_type_falls_back_to_what_the_webhook_declared() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/file"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OGG.to_vec(), "application/octet-stream"))
        .mount(&server)
        .await;
    let channels = default_channels(&server);
    let source = media(MediaSource::Url(format!("{}/file", server.uri())), "audio/ogg; codecs=opus");
    let file =
        channels.downloader.fetch(channels.zapi, &id("3EB0"), &source, MediaKind::Audio).await.unwrap();
    assert_eq!(file.mime, ogg());
    // The same file is no photo.
    let error = channels.downloader.fetch(channels.zapi, &id("3EB0"), &source, MediaKind::Image).await;
    assert_eq!(error, Err(MediaError::WrongType { found: "audio/ogg".into() }));
}

#[tokio::test]
async fn a_download_past_the_limit_stops_reading() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/big.ogg"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8; 4096], "audio/ogg"))
        .mount(&server)
        .await;
    let limits = MediaLimits { audio: 1024, ..MediaLimits::default() };
    let channels = channels(&server, limits, Duration::from_secs(5));
    let source = media(MediaSource::Url(format!("{}/big.ogg", server.uri())), "audio/ogg");
    let error = channels.downloader.fetch(channels.zapi, &id("3EB0"), &source, MediaKind::Audio).await;
    assert_eq!(error, Err(MediaError::TooLarge { limit: 1024 }));
}

#[tokio::test]
async fn a_provider_that_does_not_answer_in_time_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/slow.ogg"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(OGG.to_vec(), "audio/ogg")
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let channels = channels(&server, MediaLimits::default(), Duration::from_millis(300));
    let source = media(MediaSource::Url(format!("{}/slow.ogg", server.uri())), "audio/ogg");
    let error = channels.downloader.fetch(channels.zapi, &id("3EB0"), &source, MediaKind::Audio).await;
    assert_eq!(error, Err(MediaError::Timeout));
}

#[tokio::test]
async fn a_meta_id_on_a_channel_that_is_not_meta_cannot_be_fetched() {
    let server = MockServer::start().await;
    let channels = default_channels(&server);
    let source = media(MediaSource::MetaId("1203456789012345".into()), "audio/ogg");
    let error = channels.downloader.fetch(channels.zapi, &id("3EB0"), &source, MediaKind::Audio).await;
    assert_eq!(error, Err(MediaError::NotFetchable));
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was asked of any provider");
}
