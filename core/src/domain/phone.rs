//! Phone numbers as WhatsApp sees them: E.164, with Brazil's mobile 9th digit restored.
//!
//! Providers hand us `5511987654321`, `551187654321` (an old mobile JID without the 9th digit),
//! `5511987654321@s.whatsapp.net` or a human-typed `(11) 98765-4321`. All of them are the same
//! patient, so the canonical form always carries the 9th digit of a Brazilian mobile.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A phone number in canonical E.164 form (`+5511987654321`).
///
/// `Debug` is masked so that a stray `{:?}` in a log line never leaks a patient's number;
/// use [`Phone::masked`] in logs and [`Phone::as_str`] only where the full number is needed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number needs digits")]
    Empty,
    #[error("a phone number may only contain digits, spaces, '+', '-', '.', '(' and ')'")]
    InvalidCharacter,
    #[error("a phone number has 8 to 15 digits including the country code, this one has {0}")]
    Length(usize),
    #[error("'{0}' is not a Brazilian area code (DDD)")]
    AreaCode(String),
}

const BRAZIL: &str = "55";

impl Phone {
    /// Parses a number as a person or a provider writes it.
    ///
    /// Accepts an optional `+`, separators, and a WhatsApp JID suffix (`@s.whatsapp.net`,
    /// `@c.us`). Without a country code, 10 or 11 digits are taken as a Brazilian number
    /// (DDD + subscriber), since that is how patients in Brazil write their own number.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let raw = input.trim();
        let raw = raw.split_once('@').map_or(raw, |(user, _)| user);
        // A JID may carry a device suffix: `5511987654321:12@s.whatsapp.net`.
        let raw = raw.split_once(':').map_or(raw, |(user, _)| user);
        let has_plus = raw.starts_with('+');
        let mut digits = String::with_capacity(raw.len());
        for c in raw.trim_start_matches('+').chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(PhoneError::InvalidCharacter),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        if !has_plus && (digits.len() == 10 || digits.len() == 11) && !digits.starts_with(BRAZIL) {
            digits.insert_str(0, BRAZIL);
        } else if !has_plus && digits.len() == 11 && digits.starts_with('0') {
            // `0 11 98765-4321` style trunk prefix.
            digits.replace_range(0..1, BRAZIL);
        }
        if !(8..=15).contains(&digits.len()) {
            return Err(PhoneError::Length(digits.len()));
        }
        if let Some(national) = digits.strip_prefix(BRAZIL) {
            return brazilian(national).map(Phone);
        }
        Ok(Phone(format!("+{digits}")))
    }

    /// The full number, `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits without `+`, as Meta, Evolution and Z-API expect them in send calls.
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }

    /// A form safe for logs: country and area code, then only the last four digits.
    pub fn masked(&self) -> String {
        let digits = self.digits();
        let keep_head = 4.min(digits.len());
        let keep_tail = 4.min(digits.len() - keep_head);
        let hidden = digits.len() - keep_head - keep_tail;
        format!("+{}{}{}", &digits[..keep_head], "*".repeat(hidden), &digits[digits.len() - keep_tail..])
    }

    /// True for a Brazilian mobile number (the ones that can receive WhatsApp in practice).
    pub fn is_brazilian_mobile(&self) -> bool {
        self.digits().len() == 13 && self.digits().starts_with(BRAZIL) && &self.digits()[4..5] == "9"
    }
}

/// Canonicalises a Brazilian national number (DDD + subscriber).
fn brazilian(national: &str) -> Result<String, PhoneError> {
    if national.len() != 10 && national.len() != 11 {
        return Err(PhoneError::Length(national.len() + BRAZIL.len()));
    }
    let (ddd, subscriber) = national.split_at(2);
    if ddd.starts_with('0') || ddd.ends_with('0') {
        return Err(PhoneError::AreaCode(ddd.to_owned()));
    }
    let subscriber = match subscriber.len() {
        // Mobiles moved to nine digits in 2012–2016; 8-digit numbers starting with 6–9 are
        // mobiles written (or stored by WhatsApp) the old way.
        8 if matches!(subscriber.as_bytes()[0], b'6'..=b'9') => format!("9{subscriber}"),
        _ => subscriber.to_owned(),
    };
    Ok(format!("+{BRAZIL}{ddd}{subscriber}"))
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl std::str::FromStr for Phone {
    type Err = PhoneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Phone::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canonical(input: &str) -> String {
        Phone::parse(input).unwrap().to_string()
    }

    #[test]
    fn every_way_of_writing_a_brazilian_mobile_is_the_same_number() {
        for input in [
            "+5511987654321",
            "5511987654321",
            "551187654321",
            "5511987654321@s.whatsapp.net",
            "551187654321@s.whatsapp.net",
            "5511987654321:7@s.whatsapp.net",
            "+55 (11) 98765-4321",
            "(11) 98765-4321",
            "11987654321",
            "1187654321",
        ] {
            assert_eq!(canonical(input), "+5511987654321", "{input}");
        }
    }

    #[test]
    fn landlines_keep_eight_digits() {
        assert_eq!(canonical("(11) 3000-1000"), "+551130001000");
        assert_eq!(canonical("551130001000"), "+551130001000");
    }

    #[test]
    fn foreign_numbers_are_kept_as_given() {
        assert_eq!(canonical("+351912345678"), "+351912345678");
        assert_eq!(canonical("+1 415 555 0100"), "+14155550100");
    }

    #[test]
    fn rubbish_is_refused_with_a_reason() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("abc"), Err(PhoneError::InvalidCharacter));
        assert_eq!(Phone::parse("+123"), Err(PhoneError::Length(3)));
        assert_eq!(Phone::parse("+550087654321"), Err(PhoneError::AreaCode("00".into())));
        assert_eq!(Phone::parse("120363025246125486-group"), Err(PhoneError::InvalidCharacter));
    }

    #[test]
    fn logs_see_only_a_masked_number() {
        let phone = Phone::parse("+5511987654321").unwrap();
        assert_eq!(phone.masked(), "+5511*****4321");
        assert_eq!(format!("{phone:?}"), "Phone(+5511*****4321)");
        assert!(phone.is_brazilian_mobile());
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_idempotent(input in "\\PC{0,30}") {
            if let Ok(phone) = Phone::parse(&input) {
                prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()));
                prop_assert!(phone.as_str().starts_with('+'));
            }
        }

        #[test]
        fn old_and_new_mobile_forms_agree(ddd in 11u8..=99, rest in "[6-9][0-9]{7}") {
            prop_assume!(ddd % 10 != 0);
            let old = Phone::parse(&format!("55{ddd}{rest}")).unwrap();
            let new = Phone::parse(&format!("55{ddd}9{rest}")).unwrap();
            prop_assert_eq!(old, new);
        }
    }
}
