//! Money in integer centavos, written the Brazilian way (`R$ 1.200,00`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// An amount in Brazilian reais, held as integer centavos so sums never drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an amount in reais (write it like \"R$ 1.200,00\", \"800\" or \"grátis\")")]
pub struct MoneyError(pub String);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_centavos(centavos: i64) -> Self {
        Money(centavos)
    }

    pub const fn centavos(self) -> i64 {
        self.0
    }

    pub fn is_free(self) -> bool {
        self.0 == 0
    }

    /// Parses an amount as clinic staff write it: `R$ 1.200,00`, `1200,00`, `1.200`, `800`,
    /// `0` or `grátis`. A `.` is a thousands separator and `,` the decimal comma.
    pub fn parse_brl(input: &str) -> Result<Self, MoneyError> {
        let error = || MoneyError(input.to_owned());
        let text = input.trim();
        let lowered = text.to_lowercase();
        if matches!(lowered.as_str(), "grátis" | "gratis" | "gratuito" | "gratuita" | "free") {
            return Ok(Money::ZERO);
        }
        let text = text.strip_prefix("R$").unwrap_or(text).trim();
        let (whole, cents) = match text.split_once(',') {
            Some((whole, cents)) => (whole, cents),
            None => (text, "0"),
        };
        let whole: String = whole.chars().filter(|c| *c != '.').collect();
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
            return Err(error());
        }
        if cents.is_empty() || cents.len() > 2 || !cents.chars().all(|c| c.is_ascii_digit()) {
            return Err(error());
        }
        let reais: i64 = whole.parse().map_err(|_| error())?;
        let mut centavos: i64 = cents.parse().map_err(|_| error())?;
        if cents.len() == 1 {
            centavos *= 10;
        }
        reais.checked_mul(100).and_then(|r| r.checked_add(centavos)).map(Money).ok_or_else(error)
    }
}

impl fmt::Display for Money {
    /// `R$ 1.200,00`; negative amounts as `-R$ 50,00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let reais = (abs / 100).to_string();
        let mut grouped = String::with_capacity(reais.len() + reais.len() / 3);
        for (i, c) in reais.chars().enumerate() {
            if i > 0 && (reais.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        write!(f, "{sign}R$ {grouped},{:02}", abs % 100)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Accepts either integer centavos or a pt-BR string such as `"R$ 1.200,00"`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Centavos(i64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Centavos(c) => Ok(Money(c)),
            Raw::Text(t) => Money::parse_brl(&t).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_like_a_brazilian_price_tag() {
        assert_eq!(Money::from_centavos(120_000).to_string(), "R$ 1.200,00");
        assert_eq!(Money::from_centavos(80_000).to_string(), "R$ 800,00");
        assert_eq!(Money::from_centavos(5).to_string(), "R$ 0,05");
        assert_eq!(Money::from_centavos(300_000_050).to_string(), "R$ 3.000.000,50");
        assert_eq!(Money::from_centavos(-5_000).to_string(), "-R$ 50,00");
    }

    #[test]
    fn parses_what_staff_write() {
        assert_eq!(Money::parse_brl("R$ 1.200,00"), Ok(Money(120_000)));
        assert_eq!(Money::parse_brl("1200,5"), Ok(Money(120_050)));
        assert_eq!(Money::parse_brl("800"), Ok(Money(80_000)));
        assert_eq!(Money::parse_brl("grátis"), Ok(Money::ZERO));
        assert!(Money::parse_brl("R$ 12,345").is_err());
        assert!(Money::parse_brl("doze").is_err());
        assert!(Money::parse_brl("").is_err());
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(centavos in 0i64..10_000_000_000) {
            let money = Money::from_centavos(centavos);
            prop_assert_eq!(Money::parse_brl(&money.to_string()), Ok(money));
        }
    }
}
