//! `book_appointment`: books a slot this conversation offered, in two steps.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sofia_core::conversation::{PendingAction, SlotId};
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, BookedBy, InteractionKind, Money, PatientPackageId,
};
use sofia_core::qualification::LeadFacts;
use sofia_core::scheduling::Slot;

use super::views::{AppointmentView, counted, moment, professional_name, service_name};
use super::writes::{self, NeedsConfirmation};
use super::{PatientText, Tool, ToolContext, ToolError, lead, offer, packages};
use crate::store::{NewAppointment, StoreError};

pub struct BookAppointment;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookAppointmentArgs {
    /// The id of a slot find_slots offered in this conversation ("1", "2", …). A confirming call
    /// may leave it out.
    #[schemars(with = "Option<String>")]
    pub slot: Option<SlotId>,
    /// true: pay with a session of the patient's package for the service; false: pay as a single
    /// procedure. Left out: a package session when the patient has one.
    pub package: Option<bool>,
    /// true only once the patient has explicitly agreed to the summary the previous call returned.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Booking {
    NeedsConfirmation(NeedsConfirmation),
    Booked {
        appointment: AppointmentView,
        /// What the clinic asks of every patient on arrival (pt-BR).
        reminder: String,
    },
}

impl PatientText for Booking {
    fn patient_text(&self) -> Option<String> {
        match self {
            Booking::NeedsConfirmation(pending) => pending.patient_text(),
            Booking::Booked { appointment, reminder } => {
                Some(format!("Pronto, está agendado! {}.\n{reminder}", appointment.label))
            }
        }
    }
}

#[async_trait]
impl Tool for BookAppointment {
    const NAME: &'static str = "book_appointment";
    const DESCRIPTION: &'static str = "Books one slot find_slots offered in this conversation. The first \
        call books nothing: it returns a summary (service, day, time, professional, price) to show the \
        patient. Once the patient explicitly agrees, call again with confirm: true to book it.";
    type Args = BookAppointmentArgs;
    type Output = Booking;

    async fn run(&self, ctx: &mut ToolContext<'_>, args: BookAppointmentArgs) -> Result<Booking, ToolError> {
        let pending = match writes::pending(ctx.state, "book") {
            Some(PendingAction::Book { slot, package, .. }) => Some((*slot, package.is_some())),
            _ => None,
        };
        let slot = match (args.slot, pending) {
            (Some(slot), _) => slot,
            (None, Some((slot, _))) if args.confirm => slot,
            (None, _) if args.confirm => return Err(ToolError::NothingPending { tool: Self::NAME }),
            (None, _) => {
                return Err(ToolError::Invalid {
                    field: "slot",
                    problem: "required: the id of a slot find_slots offered".to_owned(),
                });
            }
        };
        let package =
            args.package.or(pending.filter(|(pending_slot, _)| *pending_slot == slot).map(|(_, p)| p));
        let plan = plan(ctx, slot, package).await?;
        if writes::confirmed(ctx, Self::NAME, args.confirm, &plan.action())? {
            book(ctx, plan).await
        } else {
            let summary = plan.summary(ctx);
            Ok(Booking::NeedsConfirmation(writes::propose(ctx, Self::NAME, plan.action(), summary)))
        }
    }
}

/// A booking as it would be made now.
struct Plan {
    id: SlotId,
    /// Checked free against fresh busy times while planning.
    slot: Slot,
    price: Money,
    package: Option<Package>,
}

struct Package {
    id: PatientPackageId,
    name: String,
    /// Sessions still available, this one included.
    available: u32,
}

impl Plan {
    fn action(&self) -> PendingAction {
        PendingAction::Book {
            slot: self.id,
            service: self.slot.service,
            professional: self.slot.professional,
            start: self.slot.start,
            price: self.price,
            package: self.package.as_ref().map(|p| p.id),
        }
    }

    fn summary(&self, ctx: &ToolContext<'_>) -> String {
        let clinic = ctx.clinic;
        let payment = match &self.package {
            Some(package) => format!(
                "Será usada uma sessão do seu pacote {} ({}).",
                package.name,
                counted(package.available, "disponível", "disponíveis")
            ),
            None if self.price.is_free() => "Sem custo.".to_owned(),
            None => format!("Valor: {}.", self.price),
        };
        format!(
            "Agendamento de {} para {} com {}. {payment}",
            service_name(clinic, self.slot.service),
            moment(clinic, self.slot.start),
            professional_name(clinic, self.slot.professional),
        )
    }
}

/// Plans booking the offered slot `id`: still free, paid by the price or by a package session
/// (`package`: required, refused, or when there is one).
async fn plan(ctx: &mut ToolContext<'_>, id: SlotId, package: Option<bool>) -> Result<Plan, ToolError> {
    let offered = ctx.state.offered(id).cloned().ok_or_else(|| ToolError::NotOffered {
        slot: id,
        offered: ctx.state.offered.iter().map(|o| o.id).collect(),
    })?;
    let clinic = ctx.clinic;
    let service = clinic.service(offered.slot.service).ok_or_else(|| ToolError::Invalid {
        field: "slot",
        problem: "the clinic no longer offers this service".to_owned(),
    })?;
    // Whatever a model decides: what the patient said about their health is the clinic's rule.
    if let Some(cue) = service.ruled_out_by(&ctx.state.dialogue.health_cues).map(str::to_owned) {
        let service = service.name.clone();
        // Nor may a booking of it wait for a yes the patient gave before saying it.
        if matches!(
            ctx.state.pending.as_ref().map(|pending| &pending.action),
            Some(PendingAction::Book { .. })
        ) {
            ctx.state.pending = None;
        }
        return Err(ToolError::RuledOut { service, cue });
    }
    let slot = offer::recheck(ctx, offered.slot.service, offered.slot.professional, offered.slot.start, None)
        .await?;

    let date = slot.start.with_timezone(&clinic.timezone).date_naive();
    let balance = match (package, ctx.patient().await?) {
        (Some(false), _) | (_, None) => None,
        (_, Some(patient)) => {
            let balances = packages::balances(ctx, &patient).await?;
            packages::for_session(clinic, &balances, service.id, date).cloned()
        }
    };
    if package == Some(true) && balance.is_none() {
        return Err(ToolError::NoPackageSession { service: service.name.clone() });
    }
    let package = balance.map(|balance| Package {
        id: balance.package.id,
        name: clinic
            .package(balance.package.package_id)
            .map_or_else(|| service.name.clone(), |p| p.name.clone()),
        available: balance.available(),
    });
    Ok(Plan { id, slot, price: if package.is_some() { Money::ZERO } else { service.price }, package })
}

async fn book(ctx: &mut ToolContext<'_>, plan: Plan) -> Result<Booking, ToolError> {
    let summary = plan.summary(ctx);
    let slot = plan.slot;
    let patient = ctx.register_patient().await?;
    let new = NewAppointment {
        id: AppointmentId::new_random(),
        clinic_id: ctx.clinic.id,
        patient_id: patient.id,
        professional_id: slot.professional,
        service_id: slot.service,
        patient_package_id: plan.package.as_ref().map(|p| p.id),
        starts_at: slot.start,
        ends_at: slot.end,
        status: AppointmentStatus::Scheduled,
        booked_by: BookedBy::Bot,
        price: plan.price,
    };
    // Planning checked the slot free a moment ago, but so may others have: the store's atomic
    // insert decides, and only one booking of the slot commits.
    let appointment = match ctx.store.insert_appointment(&new, ctx.now()).await {
        Ok(appointment) => appointment,
        Err(StoreError::SlotTaken) => return Err(offer::taken(ctx, slot.service, slot.start).await),
        Err(error) => return Err(error.into()),
    };
    ctx.state.pending = None;
    ctx.state.offered.clear();

    let interest = service_name(ctx.clinic, slot.service).to_owned();
    let newer = LeadFacts {
        interest: ctx.state.facts.interest.is_none().then_some(interest),
        ..LeadFacts::default()
    };
    let data = json!({ "appointment_id": appointment.id });
    lead::after_write(ctx, Some(newer), InteractionKind::Booked, &summary, data).await;
    Ok(Booking::Booked {
        appointment: AppointmentView::new(ctx.clinic, &appointment),
        reminder: ctx.clinic.policies.arrival.clone(),
    })
}
