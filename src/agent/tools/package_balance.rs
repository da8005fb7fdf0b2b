//! `package_balance`: the patient's packages, with used and remaining sessions and expiry.

use async_trait::async_trait;
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::views::counted;
use super::{PatientText, Tool, ToolContext, ToolError, packages};

pub struct PackageBalance;

/// No arguments: the patient is the one this conversation is with.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageBalanceArgs {}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageBalances {
    pub packages: Vec<PackageView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageView {
    /// "Limpeza de Pele — 4 sessões".
    pub package: String,
    pub service: String,
    pub sessions_total: u32,
    pub sessions_used: u32,
    /// Not used yet: `sessions_total - sessions_used`.
    pub sessions_remaining: u32,
    /// Of the remaining ones, held by scheduled appointments.
    pub sessions_booked: u32,
    pub purchased_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub expired: bool,
}

impl PackageView {
    /// "• Limpeza de Pele — 4 sessões: 1 de 4 sessões usadas, 3 restantes, válido até 09/07/2026".
    fn line(&self) -> String {
        let mut line = format!(
            "• {}: {} de {} sessões usadas, {} restantes",
            self.package, self.sessions_used, self.sessions_total, self.sessions_remaining
        );
        if self.sessions_booked > 0 {
            line.push_str(&format!(" ({})", counted(self.sessions_booked, "já agendada", "já agendadas")));
        }
        let expiry = brazilian_date(self.expires_on);
        if self.expired {
            line.push_str(&format!(" — venceu em {expiry}"));
        } else {
            line.push_str(&format!(", válido até {expiry}"));
        }
        line
    }
}

fn brazilian_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

impl PatientText for PackageBalances {
    fn patient_text(&self) -> Option<String> {
        Some(if self.packages.is_empty() {
            "Não encontrei pacotes no seu cadastro.".to_owned()
        } else {
            format!(
                "Seus pacotes:\n{}",
                self.packages.iter().map(PackageView::line).collect::<Vec<_>>().join("\n")
            )
        })
    }
}

#[async_trait]
impl Tool for PackageBalance {
    const NAME: &'static str = "package_balance";
    const DESCRIPTION: &'static str = "Lists the patient's packages with used, remaining and already booked \
        sessions and the expiry date (expired packages are flagged).";
    type Args = PackageBalanceArgs;
    type Output = PackageBalances;

    async fn run(
        &self,
        ctx: &mut ToolContext<'_>,
        _args: PackageBalanceArgs,
    ) -> Result<PackageBalances, ToolError> {
        let Some(patient) = ctx.patient().await? else {
            return Ok(PackageBalances { packages: Vec::new() });
        };
        let today = ctx.now().with_timezone(&ctx.clinic.timezone).date_naive();
        let clinic = ctx.clinic;
        let packages = packages::balances(ctx, &patient)
            .await?
            .into_iter()
            .map(|balance| {
                let offer = clinic.package(balance.package.package_id);
                PackageView {
                    package: offer.map_or_else(|| "Pacote".to_owned(), |offer| offer.name.clone()),
                    service: offer
                        .and_then(|offer| clinic.service(offer.service_id))
                        .map_or_else(String::new, |service| service.name.clone()),
                    sessions_total: balance.package.sessions_total,
                    sessions_used: balance.package.sessions_used,
                    sessions_remaining: balance.remaining(),
                    sessions_booked: balance.booked,
                    purchased_on: balance.package.purchased_on,
                    expires_on: balance.package.expires_on,
                    expired: !balance.valid_on(today),
                }
            })
            .collect();
        Ok(PackageBalances { packages })
    }
}
