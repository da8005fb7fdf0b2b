//! Token counts, with the o200k BPE (GPT-4o family) compiled into the binary: nothing is
//! downloaded at run time. Other models tokenise differently, so for them the counts are
//! estimates — good enough to budget history, size knowledge chunks and compare prompts, which
//! is all they are for.

/// The tokens of `text`.
pub fn count(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton().encode_ordinary(text).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portuguese_text_is_counted_offline() {
        assert_eq!(count(""), 0);
        let short = count("Oi! Queria marcar botox amanhã à tarde");
        assert!((5..20).contains(&short), "{short}");
        assert!(count(&"botox ".repeat(100)) > short);
    }
}
