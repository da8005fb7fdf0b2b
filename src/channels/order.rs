//! A cart ordered from the clinic's WhatsApp catalogue, written as the team reads it. The
//! providers describe an order differently (Meta lists the products; Baileys only counts them),
//! so each builds an [`OrderSummary`] from what it has.

use sofia_core::domain::Money;

/// One product line of a Meta order.
pub(crate) struct OrderLine<'a> {
    pub product: &'a str,
    pub quantity: u64,
    /// The unit price, when it is in reais.
    pub price: Option<Money>,
}

/// What an order says, as one line of pt-BR for the team ("2 × botox-50u (R$ 800,00);
/// obs.: …").
#[derive(Default)]
pub(crate) struct OrderSummary {
    parts: Vec<String>,
    note: Option<String>,
}

impl OrderSummary {
    pub fn line(&mut self, line: &OrderLine<'_>) {
        let price = line.price.map(|price| format!(" ({price})")).unwrap_or_default();
        self.parts.push(format!("{} × {}{price}", line.quantity, line.product));
    }

    /// What Baileys tells of an order: how many items, its title, its total.
    pub fn counted(&mut self, items: Option<u64>, title: Option<&str>, total: Option<Money>) {
        let mut part = match items {
            Some(1) => "1 item".to_owned(),
            Some(n) => format!("{n} itens"),
            None => "itens".to_owned(),
        };
        if let Some(title) = title.map(str::trim).filter(|title| !title.is_empty()) {
            part.push_str(&format!(": {title}"));
        }
        if let Some(total) = total {
            part.push_str(&format!(" (total {total})"));
        }
        self.parts.push(part);
    }

    /// What the patient wrote along with the order.
    pub fn note(&mut self, note: Option<&str>) {
        self.note = note.map(str::trim).filter(|note| !note.is_empty()).map(str::to_owned);
    }

    pub fn finish(self) -> String {
        let mut summary =
            if self.parts.is_empty() { "pedido sem itens".to_owned() } else { self.parts.join("; ") };
        if let Some(note) = self.note {
            summary.push_str(&format!("; obs.: {note}"));
        }
        summary
    }
}

/// Reais from an amount in thousandths (Baileys' `totalAmount1000`) or in reais with decimals
/// (Meta's `item_price`), when the currency is BRL; other currencies are not shown as reais.
pub(crate) fn reais(currency: Option<&str>, centavos: Option<i64>) -> Option<Money> {
    match currency {
        Some(code) if code.eq_ignore_ascii_case("BRL") => centavos.map(Money::from_centavos),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_order_names_each_product_with_its_price_and_the_note() {
        let mut order = OrderSummary::default();
        order.line(&OrderLine {
            product: "botox-50u",
            quantity: 1,
            price: Some(Money::from_centavos(80_000)),
        });
        order.line(&OrderLine { product: "limpeza-pele", quantity: 2, price: None });
        order.note(Some("  pode ser sábado? "));
        assert_eq!(order.finish(), "1 × botox-50u (R$ 800,00); 2 × limpeza-pele; obs.: pode ser sábado?");
    }

    #[test]
    fn a_counted_order_says_how_many_items_and_its_total() {
        let mut order = OrderSummary::default();
        order.counted(Some(3), Some("Pacote verão"), Some(Money::from_centavos(150_000)));
        assert_eq!(order.finish(), "3 itens: Pacote verão (total R$ 1.500,00)");
        let mut bare = OrderSummary::default();
        bare.counted(None, Some(" "), None);
        assert_eq!(bare.finish(), "itens");
        assert_eq!(OrderSummary::default().finish(), "pedido sem itens");
    }

    #[test]
    fn only_reais_are_shown_as_reais() {
        assert_eq!(reais(Some("brl"), Some(1000)), Some(Money::from_centavos(1000)));
        assert_eq!(reais(Some("USD"), Some(1000)), None);
        assert_eq!(reais(None, Some(1000)), None);
    }
}
