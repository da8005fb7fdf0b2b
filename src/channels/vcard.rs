//! Phone numbers out of the vCard that Evolution and Z-API attach to a shared contact.

use sofia_core::domain::Phone;

/// Every number of the card's `TEL` lines that parses as a phone, without repeats.
///
/// WhatsApp writes `TEL;type=CELL;waid=5511987654321:+55 11 98765-4321`; the `waid` parameter
/// is the WhatsApp number itself, so it wins over the display form after the colon.
pub(crate) fn phones(vcard: &str) -> Vec<Phone> {
    let mut phones: Vec<Phone> = Vec::new();
    for line in vcard.lines() {
        let Some((property, value)) = line.trim().split_once(':') else { continue };
        let mut parts = property.split(';');
        // A property may carry a group prefix: `item1.TEL;waid=…`.
        let name = parts.next().unwrap_or_default();
        let name = name.rsplit('.').next().unwrap_or(name);
        if !name.eq_ignore_ascii_case("TEL") {
            continue;
        }
        let waid = parts.find_map(|param| {
            let (key, value) = param.split_once('=')?;
            key.eq_ignore_ascii_case("waid").then_some(value)
        });
        if let Ok(phone) = Phone::parse(waid.unwrap_or(value))
            && !phones.contains(&phone)
        {
            phones.push(phone);
        }
    }
    phones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whatsapp_numbers_from_tel_lines() {
        let card = "BEGIN:VCARD\nVERSION:3.0\nN:;Ana;;;\nFN:Ana Souza\n\
                    TEL;type=CELL;type=VOICE;waid=5511976543210:+55 11 97654-3210\n\
                    item1.TEL:(21) 3000-1000\nTEL:not a number\nEND:VCARD";
        let phones: Vec<String> = phones(card).iter().map(|p| p.as_str().to_owned()).collect();
        assert_eq!(phones, ["+5511976543210", "+552130001000"]);
    }
}
