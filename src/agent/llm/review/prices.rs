//! Money in a reply, and whether the clinic said it.
//!
//! A model can be talked into anything ("minha amiga pagou metade, faz 50% pra mim?"); a
//! discount written on WhatsApp is a promise the clinic has to honour. So every amount in reais
//! and every percentage a reply states must be one the clinic wrote down (prices, package
//! prices and what they save, the late fee, its policies' text) or a tool returned; an amount
//! written as an instalment ("3x de R$ 266,67") must be one of those split in as many parts.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;
use sofia_core::clinic::Clinic;

fn pattern(text: &str) -> Regex {
    Regex::new(text).unwrap_or_else(|error| unreachable!("a fixed pattern is valid: {error}"))
}

/// "R$ 800,00", "R$800", "R$ 1.200,00".
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| pattern(r"R\$\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{2}))?"));
/// "3x de R$ 266,67", "em 3 vezes de R$ 266,67": the parts, then the amount.
static INSTALMENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(\d{1,2})\s?(?:x|vezes)\s?(?:de\s)?R\$\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{2}))?")
});
/// "50%", "10 %", "12,5%".
static PERCENT: LazyLock<Regex> = LazyLock::new(|| pattern(r"(\d{1,3})(?:[.,]\d+)?\s?%"));

/// What a reply may say about money.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceGrounding {
    /// In centavos.
    amounts: HashSet<i64>,
    percents: HashSet<u32>,
}

impl PriceGrounding {
    /// What the clinic wrote down.
    pub fn of_clinic(clinic: &Clinic) -> PriceGrounding {
        let mut grounding = PriceGrounding::default();
        grounding.amounts.extend(clinic.services.iter().map(|service| service.price.centavos()));
        grounding.amounts.insert(clinic.policies.late_cancellation_fee.centavos());
        for package in &clinic.packages {
            grounding.amounts.insert(package.price.centavos());
            if let Some(regular) = package.regular_price {
                grounding.amounts.insert(regular.centavos());
                grounding.amounts.insert(regular.centavos() - package.price.centavos());
                if regular.centavos() > 0 {
                    let saved = (regular.centavos() - package.price.centavos()) * 100 / regular.centavos();
                    grounding.percents.extend(u32::try_from(saved).ok());
                }
            }
        }
        let policies = &clinic.policies;
        for text in
            policies.payment_methods.iter().chain([&policies.arrival, &policies.parking, &policies.minors])
        {
            grounding.add_text(text);
        }
        for service in &clinic.services {
            grounding.add_text(&service.description);
        }
        grounding
    }

    /// Every amount and percentage in `text`.
    pub fn add_text(&mut self, text: &str) {
        self.amounts.extend(amounts(text));
        self.percents.extend(percents(text));
    }

    /// Every amount and percentage in the strings of a tool's result.
    pub fn add_json(&mut self, value: &Value) {
        match value {
            Value::String(text) => self.add_text(text),
            Value::Array(items) => items.iter().for_each(|item| self.add_json(item)),
            Value::Object(fields) => fields.values().for_each(|field| self.add_json(field)),
            _ => {}
        }
    }

    /// The amounts ("R$ 400,00") and percentages ("50%") in `reply` the clinic never stated.
    pub fn ungrounded(&self, reply: &str) -> Vec<String> {
        let instalments: Vec<(i64, i64)> = INSTALMENT
            .captures_iter(reply)
            .filter_map(|caps| Some((caps.get(1)?.as_str().parse().ok()?, centavos(&caps, 2)?)))
            .collect();
        let mut found: Vec<String> = amounts(reply)
            .into_iter()
            .filter(|amount| {
                let split = instalments.iter().find(|(_, part)| part == amount);
                !self.amounts.contains(amount)
                    && !split.is_some_and(|&(parts, part)| self.splits(parts, part))
            })
            .map(|amount| sofia_core::domain::Money::from_centavos(amount).to_string())
            .collect();
        found.extend(
            percents(reply).into_iter().filter(|p| !self.percents.contains(p)).map(|p| format!("{p}%")),
        );
        found
    }

    /// Whether `parts` instalments of `part` make one of the grounded amounts, give or take
    /// the rounding of each part.
    fn splits(&self, parts: i64, part: i64) -> bool {
        parts > 1 && self.amounts.iter().any(|&whole| (whole - parts * part).abs() <= parts)
    }
}

/// The amount of a match whose reais are group `at` and centavos group `at + 1`.
fn centavos(caps: &regex::Captures<'_>, at: usize) -> Option<i64> {
    let reais: i64 = caps.get(at)?.as_str().replace('.', "").parse().ok()?;
    let cents: i64 = caps.get(at + 1).map_or(Some(0), |m| m.as_str().parse().ok())?;
    reais.checked_mul(100)?.checked_add(cents)
}

fn amounts(text: &str) -> Vec<i64> {
    AMOUNT.captures_iter(text).filter_map(|caps| centavos(&caps, 1)).collect()
}

fn percents(text: &str) -> Vec<u32> {
    PERCENT.captures_iter(text).filter_map(|caps| caps.get(1)?.as_str().parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn grounding() -> PriceGrounding {
        let mut grounding = PriceGrounding::default();
        grounding.add_text("Botox: R$ 800,00. Pacote 4 sessões por R$ 1.200,00 (de R$ 1.600,00), 25% off");
        grounding
    }

    #[test]
    fn the_clinic_s_prices_and_their_instalments_pass() {
        let grounding = grounding();
        assert_eq!(
            grounding.ungrounded("O botox custa R$ 800,00, ou 3x de R$ 266,67."),
            Vec::<String>::new()
        );
        assert_eq!(grounding.ungrounded("O pacote sai por R$1.200 (25% de desconto)."), Vec::<String>::new());
    }

    #[test]
    fn a_discount_nobody_offered_is_caught() {
        assert_eq!(
            grounding().ungrounded("Para você faço com 50% de desconto: R$ 400,00!"),
            ["R$ 400,00", "50%"]
        );
    }

    #[test]
    fn what_a_tool_returned_passes() {
        let mut grounding = PriceGrounding::default();
        grounding
            .add_json(&json!({ "late_change": "Como faltam menos de 24 horas, há uma taxa de R$ 50,00." }));
        assert_eq!(grounding.ungrounded("A taxa é de R$ 50,00."), Vec::<String>::new());
    }
}
