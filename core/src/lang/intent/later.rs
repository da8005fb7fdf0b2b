//! A patient leaving the conversation for later: "vou ver com meu marido e te aviso", "mais
//! tarde eu retorno", "vou pensar". The answer is a short, warm goodbye, not the offer again.

use super::mentions_any;
use super::phrases::FOR_LATER;
use crate::lang::normalize::normalize;

/// Says they will decide or come back later.
pub fn leaves_for_later(text: &str) -> bool {
    mentions_any(&normalize(text), FOR_LATER)
}
