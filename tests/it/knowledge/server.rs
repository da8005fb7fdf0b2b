//! The Qdrant server adapter against a real server, when one is given. No Qdrant server can
//! run on the CI machine, so without `SOFIA_TEST_QDRANT_URL` the test says it was skipped;
//! the requests it sends are unit-tested in `src/knowledge/index/server.rs`.

use std::sync::Arc;

use sofia::knowledge::index::{ServerIndex, VectorsConfig};

use super::contract;

#[tokio::test]
async fn the_server_index_keeps_the_adapter_contract() {
    let Ok(url) = std::env::var("SOFIA_TEST_QDRANT_URL") else {
        eprintln!(
            "skipped: set SOFIA_TEST_QDRANT_URL (a Qdrant gRPC address) to run the server adapter test"
        );
        return;
    };
    let config = VectorsConfig {
        url,
        api_key: sofia::secret::Secret::new(std::env::var("SOFIA_TEST_QDRANT_API_KEY").unwrap_or_default()),
        // A collection per run, so runs never see each other's points.
        collection: format!("sofia_test_{}", uuid::Uuid::new_v4().simple()),
        ..VectorsConfig::default()
    };
    contract::run(Arc::new(ServerIndex::connect(&config).unwrap())).await;
}
