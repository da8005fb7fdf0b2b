//! A photo for a model that sees it: fetched from the provider and sent to the model as an
//! image content part, with the photo rules in its prompt.

use base64::Engine as _;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::scene;
use crate::llm::says;
use crate::support::{TestDb, conformance};

conformance!(a_photo_reaches_a_vision_model_as_an_image_part_with_the_photo_rules);

/// Maria's photo, as the fake Z-API storage serves it.
const PHOTO: &[u8] = b"\xFF\xD8\xFF\xE0 a jpeg of a red spot";
const ANSWER: &str = "Recebi a foto, Maria! Por aqui eu não consigo avaliar: a profissional avalia na consulta. \
                      Quer que eu veja um horário para uma Avaliação?";

async fn a_photo_reaches_a_vision_model_as_an_image_part_with_the_photo_rules(db: TestDb) {
    let model = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(says(ANSWER))
        .mount(&model)
        .await;
    let model_url = format!("{}/v1", model.uri());
    let scene = scene(db, |config| {
        config.llm.base_url = model_url;
        config.llm.vision = true;
    })
    .await;
    Mock::given(method("GET"))
        .and(path("/storage/spot.jpeg"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PHOTO.to_vec(), "image/jpeg"))
        .expect(1)
        .mount(&scene.providers)
        .await;
    let url = format!("{}/storage/spot.jpeg", scene.providers.uri());

    let reply = scene
        .patient_sends("zapi", "image_caption.json", |body| {
            body.replace(
                "https://storage.z-api.io/instances/3C67AB641C8AA0412F6A2242B4E23AC7/3EB0112233445566CCDD.jpeg",
                &url,
            )
            .replace("Segue o comprovante do Pix", "o que é essa mancha?")
        })
        .await;

    assert_eq!(reply, ANSWER);
    let requests = model.received_requests().await.unwrap();
    let request: Value = serde_json::from_slice(&requests[0].body).unwrap();
    let messages = request["messages"].as_array().unwrap();
    let system = messages[0]["content"].as_str().unwrap();
    assert!(system.contains("a profissional avalia na consulta e ofereça agendar uma Avaliação"), "{system}");
    let said = &messages.last().unwrap()["content"];
    assert_eq!(said[0]["type"], "text");
    assert_eq!(said[0]["text"], "[imagem] o que é essa mancha?");
    let data_url =
        format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(PHOTO));
    assert_eq!(said[1], serde_json::json!({ "type": "image_url", "image_url": { "url": data_url } }));
    assert_eq!(scene.fetches("image", "ok"), 1);
}
