//! The English and Spanish words tourists use in short messages ("Friday afternoon?", "quiero
//! una limpieza", "mañana a las 3"), word → its Portuguese, so every reader understands
//! weekdays, days, parts of the day, times and yes/no in them too. Sofia answers in pt-BR.
//!
//! Only words that mean nothing else in a Portuguese message are here: "no" (a contraction in
//! Portuguese: "no dia 12") is a no only as the whole message or before an English apology or
//! thanks ("no, sorry, wrong day"), in [`super::normalize`].

/// The Portuguese of an already folded English or Spanish word; `previous` is the folded word
/// before it, for the one word whose meaning depends on it: Spanish "mañana" is "amanhã", but
/// "la mañana" is the morning.
/// The words before a Spanish "turno" (an appointment: "hay turno", "tienen turno", "un turno",
/// "mi turno"), as already read ("hay" and "tienen" are "tem" by then). In Portuguese a "turno"
/// is a work shift ("preciso trocar meu turno com uma colega"), which is no appointment.
const SPANISH_BEFORE_TURNO: &[&str] = &["tem", "un", "mi", "el", "otro", "del", "algun", "sacar", "nuevo"];

/// What a visit is called, as already read, before a "free" that means free of charge.
const FREE_OF_CHARGE_AFTER: &[&str] = &["consulta", "avaliacao", "it", "sessao", "one"];

pub(super) fn expand(word: &str, previous: Option<&str>) -> Option<&'static str> {
    if let Some(hour) = hour_word(word, previous) {
        return Some(hour);
    }
    let portuguese = match word {
        "manana" if previous == Some("la") => "manha",
        // "what time…?" asks the hours, as "que horas…?" does.
        "what" => "que",
        "time" if previous == Some("que") => "horas",
        "monday" | "lunes" => "segunda",
        "tuesday" | "martes" => "terca",
        "wednesday" | "miercoles" => "quarta",
        "thursday" | "jueves" => "quinta",
        "friday" | "viernes" => "sexta",
        "saturday" => "sabado",
        "sunday" => "domingo",
        "today" | "hoy" => "hoje",
        "tomorrow" | "manana" => "amanha",
        "morning" => "manha",
        "afternoon" => "tarde",
        "evening" | "night" | "noche" => "noite",
        "next" => "proxima",
        "week" => "semana",
        "viene" => "vem",
        "at" | "las" => "as",
        // "on saturday" is "no sábado" ("online" is one word).
        "on" => "no",
        // Bounds on the time: "after 5pm", "before noon", "until 6", "después de las 5".
        "after" => "apos",
        "before" => "antes",
        "until" | "till" => "ate",
        "despues" => "depois",
        "yes" | "yeah" | "yep" | "yup" | "sure" | "si" => "sim",
        "thanks" | "gracias" => "obrigado",
        "please" => "por favor",
        "quiero" | "want" => "quero",
        "puedo" => "posso",
        "quisiera" => "queria",
        "book" | "reservar" => "marcar",
        "schedule" => "agendar",
        "appointment" | "cita" => "horario",
        "cancel" => "cancelar",
        "reschedule" => "remarcar",
        "limpieza" | "cleaning" | "cleansing" => "limpeza",
        "filler" | "fillers" | "relleno" => "preenchimento",
        "lips" => "labios",
        "microneedling" => "microagulhamento",
        "peel" => "peeling",
        "evaluation" | "consultation" | "evaluacion" => "avaliacao",
        "first" | "primera" => "primeiro",
        "second" => "segundo",
        "third" | "tercera" | "tercero" => "terceiro",
        "last" => "ultimo",
        "tienen" | "tiene" | "hay" => "tem",
        "turno" if previous.is_some_and(|before| SPANISH_BEFORE_TURNO.contains(&before)) => "horario",
        "cuanto" => "quanto",
        "cuesta" => "custa",
        "precio" | "price" => "preco",
        "cost" | "costs" | "costo" => "custa",
        "visit" => "consulta",
        // Free of charge when said of a visit ("is the first visit free?"); before a slot's
        // word ("free slot", "are you free friday?") it is availability, left alone.
        // ("free" arrives squeezed to "fre", as emphasis would be.)
        "fre" | "free" if previous.is_some_and(|before| FREE_OF_CHARGE_AFTER.contains(&before)) => {
            "e gratuita"
        }
        "hola" => "ola",
        "open" | "opens" | "abren" => "abre",
        // The plural: a bare "fecha" is Portuguese slang for a deal closed, a yes.
        "close" | "closes" | "closing" | "cierra" | "cierran" => "fecham",
        // The edge of a part of the day: "late afternoon" is "fim da tarde", "early morning"
        // "começo da manhã".
        "late" => "fim da",
        "early" => "comeco da",
        // "is there parking nearby?", "¿hay estacionamiento?".
        "parking" | "estacionamiento" => "estacionamento",
        "nearby" => "perto",
        // Asking for a person: "can I talk to someone?", "quiero hablar con una persona".
        // "talk to": "to" would read as the slang "tô", so the verb brings its own "com".
        "talk" | "speak" => "falar com",
        "hablar" => "falar",
        "person" | "persona" => "pessoa",
        "someone" | "somebody" | "alguien" => "alguem",
        "human" => "humano",
        "con" => "com",
        "mejor" | "better" => "melhor",
        // Taking what was offered: "6pm is perfect", "perfecto, a las diez".
        "perfect" | "perfecto" => "perfeito",
        // A Spanish goodbye for now: "lo pienso y te escribo luego", "hablamos después".
        "escribo" => "escrevo",
        "pienso" => "penso",
        "luego" => "depois",
        "hablamos" => "falamos",
        "voy" => "vou",
        "noon" | "mediodia" => "meio dia",
        // "a las once y media": "y" is no Portuguese word, and "media" after it (folded to "e")
        // is the half hour.
        "y" => "e",
        "media" if previous == Some("e") => "meia",
        _ => return None,
    };
    Some(portuguese)
}

/// An hour said as an English or Spanish number word: "at eleven", "a las once", "las dos y
/// media". The English words mean nothing else in Portuguese; "one" only after "at" ("the
/// first one" is a pick). The Spanish ones only after "las" or "la" ("a la una"), since some are
/// Portuguese words too: "dos", "doce". `previous` is already folded, so "at" and "las" read
/// "as" here.
fn hour_word(word: &str, previous: Option<&str>) -> Option<&'static str> {
    let after_at = matches!(previous, Some("as" | "la"));
    let english = match word {
        "one" if after_at => Some("uma"),
        "two" => Some("duas"),
        "three" => Some("tres"),
        "four" => Some("quatro"),
        "five" => Some("cinco"),
        "six" => Some("seis"),
        "seven" => Some("sete"),
        "eight" => Some("oito"),
        "nine" => Some("nove"),
        "ten" => Some("dez"),
        "eleven" => Some("onze"),
        "twelve" => Some("doze"),
        _ => None,
    };
    if english.is_some() || !after_at {
        return english;
    }
    let spanish = match word {
        "una" => "uma",
        "dos" => "duas",
        "tres" => "tres",
        "cuatro" => "quatro",
        "cinco" => "cinco",
        "seis" => "seis",
        "siete" => "sete",
        "ocho" => "oito",
        "nueve" => "nove",
        "diez" => "dez",
        "once" => "onze",
        "doce" => "doze",
        _ => return None,
    };
    Some(spanish)
}

/// Verbs in the first person a "no" before is "não": Spanish "no puedo", "no quiero", or
/// "não" typed without its tilde. Portuguese "no" (em + o) comes before a noun, never these.
pub(super) const VERBS_AFTER_A_NO: &[&str] = &["posso", "consigo", "quero", "vou", "sei", "tenho", "preciso"];

/// Words after which an opening "no" is English: "no, sorry", "no thanks", "no, wrong day".
pub(super) const AFTER_AN_ENGLISH_NO: &[&str] = &["sorry", "obrigado", "thank", "wrong", "way", "nao"];
