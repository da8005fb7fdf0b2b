//! Questions about the clinic (prices, hours, address, payment, parking, aftercare), the
//! minors rule and medical questions, which get an Avaliação instead of an opinion.

use serde_json::json;
use sofia_core::clinic::{Clinic, facts};
use sofia_core::conversation::Awaiting;
use sofia_core::domain::ServiceId;
use sofia_core::lang::{
    Intent, OtherProcedure, answers, detect_intents, in_order_asked, left_out_after_covered, match_service,
    match_services, normalize, unoffered_procedure,
};

use super::reading::{Reading, clauses};
use super::reply::{Choices, Reply};
use super::session::{PassageView, PassagesFound, Session, read, tool};

/// Answers every question about the clinic the turn asks, from the clinic's facts, in the
/// order asked. Returns whether it answered any.
pub(super) fn answer(s: &Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    let clinic = s.clinic();
    let mut answered = false;
    for intent in &in_order_asked(&reading.text, &reading.intents) {
        let text = match intent {
            // "quanto tá o endolaser?": not the price list, but whether the clinic does it.
            Intent::Price if reading.service.is_none() && reading.unknown_procedure.is_some() => continue,
            // "tem promoção de botox?": the clinic's only deals are its packages.
            Intent::Price if reading.deal => {
                let named = match_services(clinic, &reading.text);
                let services = if named.is_empty() { talked_about(s).into_iter().collect() } else { named };
                facts::deals(clinic, &services)
            }
            // "quanto custa?" while Botox is being booked asks Botox's price.
            Intent::Price => match reading
                .service
                .or_else(|| talked_about(s))
                .and_then(|id| facts::service_price(clinic, id))
            {
                Some(price) => price,
                None => facts::price_list(clinic),
            },
            Intent::OpeningHours => facts::opening_hours(clinic),
            Intent::Location => facts::location(clinic),
            Intent::Payment => facts::payment(clinic),
            Intent::Parking => facts::parking(clinic),
            Intent::Aftercare => facts::aftercare(clinic, reading.service),
            // "quanto tempo demora?" while Botox is being talked about asks about Botox.
            Intent::Duration => facts::duration(clinic, reading.service.or_else(|| talked_about(s))),
            _ => continue,
        };
        if names_something_else(reading, *intent, &text) {
            continue;
        }
        reply.say(text);
        answered = true;
    }
    if reading.cancellation_policy {
        reply.say(facts::cancellation_policy(clinic));
        answered = true;
    }
    if reading.what_to_bring {
        reply.say(facts::arrival(clinic));
        answered = true;
    }
    answered
}

/// "vocês têm cartão fidelidade?": the topic's own cue, which its answer covers, is followed by
/// a word naming another thing ("cartão" of a loyalty card, not of paying) that the answer says
/// nothing of, so that answer would be a loosely related passage. A word that is itself the
/// same topic's ("pix parcelado") keeps the subject. Prices, aftercare and a session's length
/// name the clinic's services, read elsewhere.
fn names_something_else(reading: &Reading, intent: Intent, answer: &str) -> bool {
    if matches!(intent, Intent::Price | Intent::Aftercare | Intent::Duration) {
        return false;
    }
    left_out_after_covered(&reading.text, answer)
        .iter()
        .any(|(cue, next)| detect_intents(cue).contains(&intent) && !detect_intents(next).contains(&intent))
}

/// After prices, the natural next step: would they like to book?
pub(super) fn offer_booking(s: &mut Session<'_, '_>, service: Option<ServiceId>, reply: &mut Reply) {
    // "quanto custa?" while Botox is being booked: Botox's slots are the ones to offer.
    let service = service.or_else(|| talked_about(s));
    let question = match service.and_then(|id| s.clinic().service(id)) {
        Some(service) => format!("Quer que eu veja um horário para {}?", service.name),
        None => "Quer que eu veja um horário para você?".to_owned(),
    };
    reply.ask(question, Choices::yes_no());
    s.state_mut().dialogue.awaiting = Some(Awaiting::BookingOffer { service, professional: None });
}

/// The service a minor may book, which is also the one for any doubt about one's health: the
/// clinic's evaluation.
pub(super) fn evaluation(clinic: &Clinic) -> Option<ServiceId> {
    clinic
        .services
        .iter()
        .find(|service| service.minors_allowed)
        .or_else(|| clinic.services.iter().find(|service| service.price.is_free()))
        .map(|service| service.id)
}

/// The minors rule, and the Avaliação they may book.
pub(super) fn minors(s: &mut Session<'_, '_>, reply: &mut Reply) {
    reply.say(facts::minors(s.clinic()));
    let evaluation = evaluation(s.clinic());
    offer_booking(s, evaluation, reply);
}

/// "vocês fazem criolipólise?": said plainly that the clinic does not, with an Avaliação
/// offered when the doctors could suggest what the clinic does instead. Returns whether that
/// answered the turn: not when one of the clinic's own services is asked for beside it with a
/// day, which the booking answers after the "no".
pub(super) fn not_offered(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    answer_not_offered(s, reading, reading.unoffered.as_ref(), reply)
}

/// "vcs fazem endolaser?", once the clinic's knowledge had nothing on it: a name the clinic's
/// file does not use is a procedure it does not offer. Returns whether the turn asked for one.
pub(super) fn unknown_not_offered(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    answer_not_offered(s, reading, reading.unknown_procedure.as_ref(), reply)
}

/// "vcs fazem endolaser? e queria marcar uma limpeza sexta": a name the clinic's file does not
/// use, asked apart beside one of the clinic's services, is said to be unavailable before the
/// booking goes on, unless the clinic's knowledge names it. Returns whether that answered the
/// turn, as [`not_offered`] does.
pub(super) async fn unknown_beside_a_service(
    s: &mut Session<'_, '_>,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    let Some(procedure) = reading.unknown_beside.as_ref() else { return false };
    let known = match s.call(tool::SEARCH_KNOWLEDGE, json!({ "query": procedure.name })).await {
        Ok(found) => read::<PassagesFound>(&found)
            .map(|found| found.passages)
            .unwrap_or_default()
            .iter()
            .any(|passage| normalize(&passage.as_shown()).contains_phrase(&procedure.name)),
        Err(error) => {
            // Unsure whether the clinic does it: say nothing about it rather than a wrong "no".
            tracing::warn!(error = &error as &dyn std::error::Error, "search_knowledge failed");
            true
        }
    };
    !known && answer_not_offered(s, reading, Some(procedure), reply)
}

fn answer_not_offered(
    s: &mut Session<'_, '_>,
    reading: &Reading,
    procedure: Option<&OtherProcedure>,
    reply: &mut Reply,
) -> bool {
    // "vou ter que cancelar a limpeza, marquei dentista no mesmo horário": the other procedure
    // is why, and the change asked for is what to answer.
    if reading.about_existing() {
        return false;
    }
    let Some(procedure) = procedure else { return false };
    // "vcs fazem bb glow? e o botox ta qnto?": one of the clinic's own services priced beside
    // it, in a clause of its own ("botox capilar" is no Botox), gets its price, and its slots are
    // the ones offered.
    let clinic = s.clinic();
    let named_apart = |id: ServiceId| {
        clauses(&reading.text).any(|clause| {
            unoffered_procedure(clinic, clause).is_none() && match_service(clinic, clause) == Some(id)
        })
    };
    let priced = reading
        .service
        .filter(|id| reading.mentions(Intent::Price) && !reading.deal && named_apart(*id))
        .and_then(|id| Some((id, facts::service_price(clinic, id)?)));
    // "vcs fazem henna na sobrancelha? se não, queria uma limpeza segunda de manhã": one of the
    // clinic's own services asked for apart, with a day or a booking, is booked after the "no":
    // the turn is left to the booking.
    let booked_instead = priced.is_none()
        && reading.service.is_some_and(named_apart)
        && (reading.says_when() || reading.mentions(Intent::Book));
    if booked_instead {
        say_unavailable(procedure, reply);
        return false;
    }
    say_not_offered(s, procedure, priced, reply);
    true
}

/// Said not to be offered; then the price of one of the clinic's services asked beside it
/// (`priced`) with its slots offered, or else what may help instead.
fn say_not_offered(
    s: &mut Session<'_, '_>,
    procedure: &OtherProcedure,
    priced: Option<(ServiceId, String)>,
    reply: &mut Reply,
) {
    say_unavailable(procedure, reply);
    if let Some((service, price)) = priced {
        reply.say(price);
        offer_booking(s, Some(service), reply);
        return;
    }
    let evaluation = evaluation(s.clinic()).and_then(|id| s.clinic().service(id)).cloned();
    match evaluation.filter(|_| procedure.evaluation_helps) {
        Some(evaluation) => {
            let free = if evaluation.price.is_free() { " gratuita" } else { "" };
            reply.say(format!(
                "Numa {}{free}, nossa equipe médica pode indicar, entre os tratamentos que fazemos, o mais \
                 adequado para o que você deseja.",
                evaluation.name
            ));
            offer_booking(s, Some(evaluation.id), reply);
        }
        None => reply.say(format!("{} Se algum te interessar, é só me dizer. 😊", what_we_do(s.clinic()))),
    }
}

/// "Infelizmente, não oferecemos criolipólise aqui na clínica.", and nothing else.
fn say_unavailable(procedure: &OtherProcedure, reply: &mut Reply) {
    reply.say(format!("Infelizmente, não oferecemos {} aqui na clínica. 🙏", procedure.name));
}

/// "Aqui fazemos Botox, Preenchimento Labial e Limpeza de Pele.": the clinic's services by name.
fn what_we_do(clinic: &Clinic) -> String {
    let names: Vec<&str> = clinic.services.iter().map(|service| service.name.as_str()).collect();
    match names.split_last() {
        Some((last, [])) => format!("Aqui fazemos {last}."),
        Some((last, rest)) => format!("Aqui fazemos {} e {last}.", rest.join(", ")),
        None => "Aqui fazemos tratamentos estéticos.".to_owned(),
    }
}

/// "achei caro": no haggling (a discount is the team's to give), but what makes it easier to pay:
/// the payment methods, and a package of the service when the clinic sells one.
pub(super) fn price_objection(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) {
    let clinic = s.clinic();
    let state = s.state();
    // The service talked about: named now, being booked, offered, or the lead's interest.
    let offered = match state.dialogue.awaiting {
        Some(Awaiting::BookingOffer { service, .. }) => service,
        _ => None,
    };
    let interest = state.facts.interest.as_deref().and_then(|name| clinic.service_named(name)).map(|s| s.id);
    let service = reading
        .service
        .or(state.dialogue.request.as_ref().and_then(|request| request.service))
        .or(offered)
        .or(interest);
    let package = clinic.packages.iter().find(|package| Some(package.service_id) == service);
    let mut text = format!("Entendo! 😊 Se ajudar: {}", facts::payment(clinic));
    if let Some(package) = package {
        text.push_str(&format!(" Também temos o pacote {}, por {}.", package.name, package.price));
    }
    reply.say(text);
}

/// Never a diagnosis: an Avaliação with the clinic's doctors.
pub(super) fn medical(s: &mut Session<'_, '_>, reply: &mut Reply) {
    reply.say(
        "Por aqui eu não consigo avaliar sintomas nem indicar tratamentos. 🙏 O ideal é passar por uma \
         Avaliação com a nossa equipe médica, que é gratuita.",
    );
    let evaluation = evaluation(s.clinic());
    offer_booking(s, evaluation, reply);
}

/// Words that add nothing to a service's name: "vcs fazem botox?" only names it.
const ONLY_NAMING: &[&str] = &[
    "o",
    "a",
    "os",
    "as",
    "e",
    "de",
    "do",
    "da",
    "um",
    "uma",
    // Spanish articles, from tourists: "quiero una limpieza".
    "un",
    "una",
    "pra",
    "para",
    "vc",
    "vcs",
    "voce",
    "voces",
    "q",
    "que",
    "tem",
    "ter",
    "faz",
    "fazem",
    "fazer",
    "oferece",
    "oferecem",
    "trabalha",
    "trabalham",
    "com",
    "sobre",
    "queria",
    "quero",
    "gostaria",
    "saber",
    "info",
    "informacao",
    "informacoes",
    "ai",
    "ne",
];

/// Whether the message asks something about the service it names ("botox dói?", "quanto tempo
/// dura o preenchimento?") rather than only naming it ("botox?", "vcs fazem botox?").
pub(super) fn asks_about_service(clinic: &Clinic, reading: &Reading) -> bool {
    let Some(service) = reading.service.and_then(|id| clinic.service(id)) else { return false };
    let naming: Vec<String> = std::iter::once(service.name.as_str())
        .chain(service.aliases.iter().map(String::as_str))
        .flat_map(|name| normalize(name).tokens().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    normalize(&reading.text)
        .tokens()
        .any(|word| !ONLY_NAMING.contains(&word) && !naming.iter().any(|name| name == word))
}

/// The service the booking under way is for, if any.
fn talked_about(s: &Session<'_, '_>) -> Option<ServiceId> {
    s.state().dialogue.request.as_ref().and_then(|request| request.service)
}

/// A question no topic covers, asked of the clinic's knowledge base when it is available.
pub(super) async fn search_knowledge(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    search_knowledge_for(s, &reading.text, reading, reply).await
}

/// The question of whether someone may come along, as the clinic's knowledge would put it:
/// the patient names the person ("meu bebê", "minha mãe"), the knowledge the companion.
const COMPANION_QUESTION: &str = "posso levar acompanhante?";

/// "posso levar meu bebê na consulta?": answered from the clinic's knowledge on companions,
/// before the visit it names starts a booking. Returns whether the knowledge had it.
pub(super) async fn companion(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    reading.companion && search_knowledge_for(s, COMPANION_QUESTION, reading, reply).await
}

/// The clinic's knowledge on `asked` (the patient's words, or a question they put in other
/// words), as [`search_knowledge`] answers it.
async fn search_knowledge_for(
    s: &mut Session<'_, '_>,
    asked: &str,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    if !s.has_tool(tool::SEARCH_KNOWLEDGE) {
        return false;
    }
    // "dura muito?" while Botox is being talked about asks about Botox.
    let talked_about = match reading.service {
        Some(_) => None,
        None => talked_about(s),
    };
    let talked_about = talked_about.and_then(|id| s.clinic().service(id)).map(|service| service.name.clone());
    let query = match talked_about {
        Some(service) => format!("{asked} {service}"),
        None => asked.to_owned(),
    };
    match s.call(tool::SEARCH_KNOWLEDGE, json!({ "query": query })).await {
        // The best passage that shares the patient's own words (the service under discussion
        // only helps find it), as the tool shows one. A passage that shares one stray word is
        // a miss the patient would have to correct: better said not understood (and, twice,
        // handed to a person).
        Ok(found) => {
            let passages = read::<PassagesFound>(&found).map(|found| found.passages).unwrap_or_default();
            // "quanto tá o microcorrente?" is not answered by a passage on "microagulhamento":
            // a procedure the clinic's file does not know must be named by the passage itself.
            let names_the_unknown = |text: &str| {
                reading
                    .unknown_procedure
                    .as_ref()
                    .is_none_or(|procedure| normalize(text).contains_phrase(&procedure.name))
            };
            let answer = passages
                .iter()
                .map(PassageView::as_shown)
                .find(|text| answers(asked, text) && names_the_unknown(text));
            match answer {
                Some(text) => {
                    reply.say(text);
                    true
                }
                None => false,
            }
        }
        Err(error) => {
            tracing::warn!(error = &error as &dyn std::error::Error, "search_knowledge failed");
            false
        }
    }
}
