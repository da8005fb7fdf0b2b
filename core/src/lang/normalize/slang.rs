//! Chat abbreviations and frequent typos, word → canonical word(s).
//!
//! Only words that mean one thing in a clinic chat are here. Single letters are risky: `"n"` is
//! always "não" in WhatsApp Portuguese, but `"s"` is only "sim" when it is the whole message, so
//! that one lives in [`super::normalize`].

/// The canonical spelling of an already folded word, if it is slang or a known typo.
pub(super) fn expand(word: &str) -> Option<&'static str> {
    let canonical = match word {
        "vc" | "vce" | "ce" => "voce",
        "vcs" | "ces" => "voces",
        "q" | "qe" | "ke" => "que",
        "oq" | "oque" => "o que",
        "pq" | "pqe" | "porq" => "porque",
        "pra" | "pro" | "pras" | "pros" | "p" => "para",
        "tb" | "tbm" | "tmb" | "tbem" | "tambm" => "tambem",
        "hj" | "hje" | "oje" => "hoje",
        "amnh" | "amanh" | "amnha" | "amanah" | "amanhan" => "amanha",
        "orario" | "horaro" | "horaio" | "hrario" | "horarrio" => "horario",
        "orarios" | "horaros" | "hrarios" => "horarios",
        "obg" | "obgd" | "obgdo" | "brigado" | "obrigadoo" => "obrigado",
        "obgda" | "brigada" => "obrigada",
        "vlw" | "vlww" | "valew" => "valeu",
        "blz" | "bz" => "beleza",
        "td" => "tudo",
        "tds" => "todos",
        "msg" => "mensagem",
        "msgs" => "mensagens",
        "qdo" | "qnd" | "qndo" => "quando",
        "n" | "nn" | "naum" | "nop" => "nao",
        "ss" | "sii" | "simm" => "sim",
        "to" | "tou" => "estou",
        "ta" | "tah" => "esta",
        "eh" => "e",
        // Down to the consonants: "qnt é a limpeza?", "kto custa".
        "qto" | "qnto" | "qt" | "qnt" | "qntu" | "kto" | "knto" | "knt" => "quanto",
        "qta" | "qnta" => "quanta",
        "qts" | "qtos" | "qntos" => "quantos",
        "qtas" | "qntas" => "quantas",
        "dps" | "dpois" => "depois",
        "agr" => "agora",
        "hr" => "hora",
        "hrs" => "horas",
        "mt" | "mto" => "muito",
        "mta" => "muita",
        "pfv" | "pfvr" | "pf" | "pls" | "plz" => "por favor",
        "fds" => "fim de semana",
        "aki" | "aq" => "aqui",
        "vdd" => "verdade",
        "cmg" => "comigo",
        "ngm" => "ninguem",
        "gnt" | "gte" => "gente",
        "msm" => "mesmo",
        "qq" | "qlq" | "qlqr" | "qqr" => "qualquer",
        "kd" => "cade",
        "dmais" => "demais",
        // The end of the day, softened: "no finalzinho do dia", "fimzinho da tarde".
        "finalzinho" => "final",
        "fimzinho" => "fim",
        "consuta" | "conulta" => "consulta",
        _ => return None,
    };
    Some(canonical)
}

/// "mais tardinho", "mais cedinho": after "mais", a diminutive is the comparative it softens
/// ("mais tarde", "mais cedo"). Alone, "tardinha" and "cedinho" name parts of the day and stay.
pub(super) fn softened_comparative(word: &str, previous: Option<&str>) -> Option<&'static str> {
    if previous != Some("mais") {
        return None;
    }
    match word {
        "tardinha" | "tardinho" => Some("tarde"),
        "cedinho" | "cedinha" => Some("cedo"),
        _ => None,
    }
}
