//! Procedures patients ask aesthetic clinics for, so that one this clinic does not offer is
//! recognised and said to be unavailable ("vocês fazem criolipólise?") instead of being
//! answered with the price list.

use std::borrow::Cow;

use super::fuzzy::{closeness, singular};
use crate::clinic::Clinic;
use crate::lang::normalize::{Normalized, normalize, split_clauses};

/// A procedure named in a message that the clinic does not offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherProcedure {
    /// How a reply names it: "criolipólise" from the catalogue, or the patient's own words for
    /// one recognised by its shape ("blefaroplastia", "laser de co2").
    pub name: Cow<'static, str>,
    /// Whether the clinic's Avaliação is a sensible next step: the doctors can suggest what
    /// the clinic does instead (true for face and body treatments, false for a massage).
    pub evaluation_helps: bool,
}

/// (procedure, folded phrases that name it).
const CATALOGUE: &[(OtherProcedure, &[&str])] = &[
    (procedure("criolipólise", true), &["criolipolise", "criolipolis", "criolipo", "crio"]),
    (
        procedure("bioestimulador de colágeno", true),
        &["bioestimulador", "bioestimuladores", "bio estimulador", "sculptra", "radiesse"],
    ),
    (
        procedure("fios de sustentação", true),
        &["fios de pdo", "fio de pdo", "fios pdo", "fios de sustentacao", "fio de sustentacao"],
    ),
    (
        procedure("lipoaspiração", true),
        &[
            "lipoaspiracao",
            "lipo aspiracao",
            // By its techniques: "quanto é a lipo LAD?".
            "lipo hd",
            "lipo lad",
            "lipo 360",
            "lipoescultura",
            "lipo escultura",
            "vaser",
        ],
    ),
    // A lesion of the skin removed: a doctor's procedure the clinic does not do. Never a bare
    // "sinal" (a deposit) or "pinta" (a verb).
    (
        procedure("remoção de verrugas, pintas e sinais", true),
        &[
            "verruga",
            "verrugas",
            "verruguinha",
            "verruguinhas",
            "acrocordon",
            "acrocordons",
            "queratose",
            "queratoses",
            "lipoma",
            "lipomas",
            "cisto sebaceo",
            "pinta no rosto",
            "pintas no rosto",
            "pinta no pescoco",
            "pintas no pescoco",
            "pintas na pele",
            "pintinhas",
            "sinal no rosto",
            "sinais no rosto",
            "sinal no pescoco",
            "sinais no pescoco",
            "sinal na pele",
            "sinais na pele",
        ],
    ),
    (procedure("rinomodelação", true), &["rinomodelacao", "rinomodelagem"]),
    (procedure("ultrassom microfocado", true), &["ultraformer", "ultrassom microfocado", "hifu"]),
    (procedure("radiofrequência", true), &["radiofrequencia", "radio frequencia"]),
    (procedure("depilação", false), &["depilacao", "depilar"]),
    (procedure("tratamentos a laser", true), &["laser", "luz pulsada", "lavieen"]),
    (procedure("mesoterapia", true), &["mesoterapia", "intradermoterapia"]),
    (procedure("carboxiterapia", true), &["carboxiterapia", "carboxi"]),
    (
        procedure("secagem de vasinhos", true),
        &[
            "escleroterapia",
            "secar vasinhos",
            "secagem de vasinhos",
            "vasinhos",
            "vasinho",
            "microvasos",
            "varizes",
            "variz",
        ],
    ),
    (procedure("drenagem linfática", false), &["drenagem", "drenagem linfatica"]),
    // A device facial the clinic does not have (its Limpeza de Pele is done by hand).
    (procedure("Hydrafacial", true), &["hydrafacial", "hidrafacial", "hydra facial", "hidra facial"]),
    // Vitamins in a drip: not an aesthetic procedure, so no Avaliação is suggested. Only "soro"
    // into the vein: "soro de vitamina C" is also a serum for the skin.
    (
        procedure("soroterapia", false),
        &[
            "soroterapia",
            "soro terapia",
            "soro na veia",
            "soros na veia",
            "vitamina na veia",
            "vitaminas na veia",
            "terapia endovenosa",
        ],
    ),
    // The body, where the clinic only treats the face and the chin; not a bare "barriga" ("estou
    // de barriga" is pregnant).
    (
        procedure("tratamentos para o corpo", true),
        &[
            "enzimatica de barriga",
            "enzimatica na barriga",
            "enzimas na barriga",
            "enzima na barriga",
            "lipo de barriga",
            "lipo na barriga",
            "lipo da barriga",
            // Round 36's audit: "lipo" with another part of the body, and the flab's slang.
            "lipo de culote",
            "lipo no culote",
            "lipo nos culotes",
            "lipo de braco",
            "lipo no braco",
            "lipo nos bracos",
            "lipo nas costas",
            "lipo de costas",
            "lipo nas coxas",
            "lipo de coxa",
            "lipo nos flancos",
            "tchauzinho",
            "tchauzinhos",
            "banha",
            "banhas",
            // Round 20: the belly by its other names; "barriguinha" is the fat, never a pregnancy.
            "abdomen",
            "abdome",
            "abdominal",
            "barriguinha",
            "barriguinhas",
            "pneuzinho",
            "pneuzinhos",
            "gordura da barriga",
            "gordura na barriga",
            "culote",
            "culotes",
            "flancos",
            "pochete",
            "celulite",
            "celulites",
            "estrias",
            "gluteo",
            "gluteos",
            // The adjective, "harmonização glútea", and as it is often written, with an "i"
            // slipped in as in "ideia": "gluteia".
            "glutea",
            "gluteas",
            "gluteia",
            "gluteias",
            "bumbum",
        ],
    ),
    // Round 17: feet, a blade on the face, body hair bleached, weight-loss drugs.
    (
        procedure("podologia", false),
        &[
            "podologia",
            "podologo",
            "podologa",
            "unha encravada",
            "unhas encravadas",
            "calo no pe",
            "calos nos pes",
        ],
    ),
    (procedure("dermaplaning", true), &["dermaplaning", "dermaplanning", "dermaplaning facial"]),
    (
        procedure("banho de lua (descoloração de pelos)", false),
        &[
            "banho de lua",
            "descoloracao de pelos",
            "descolorir os pelos",
            "descolorir pelos",
            "clareamento de pelos",
        ],
    ),
    // Not an aesthetic procedure, and no opinion on the drug: no Avaliação suggested.
    (
        procedure("acompanhamento para emagrecimento", false),
        &[
            "mounjaro",
            "ozempic",
            "saxenda",
            "wegovy",
            "tirzepatida",
            "semaglutida",
            "caneta para emagrecer",
            "caneta emagrecedora",
            "acompanhamento para emagrecer",
            "acompanhamento de emagrecimento",
            "programa de emagrecimento",
            "tratamento para emagrecer",
            "remedio para emagrecer",
        ],
    ),
    (procedure("massagem", false), &["massagem", "massagens", "massagem modeladora"]),
    (
        procedure("bronzeamento artificial", false),
        &["bronzeamento", "bronzeamentos", "bronzear", "marquinha de biquini", "marquinha de fita"],
    ),
    (
        procedure("manicure e pedicure", false),
        &[
            "manicure",
            "pedicure",
            "unha em gel",
            "unhas em gel",
            "alongamento de unha",
            "alongamento de unhas",
            "pe e mao",
            "mao e pe",
            "fazer as unhas",
            "fazer a unha",
        ],
    ),
    // Lashes and brows, by the treatment's own words: a bare "cílios" or "sobrancelha" may be
    // where the patient wants Botox ("botox perto da sobrancelha").
    (
        procedure("extensão de cílios", false),
        &[
            "extensao de cilios",
            "extensao de cilio",
            "extensoes de cilios",
            "alongamento de cilios",
            "cilios fio a fio",
            "volume russo",
            "lash lifting",
            "lifting de cilios",
            "permanente de cilios",
        ],
    ),
    (
        procedure("design de sobrancelhas", false),
        &[
            "design de sobrancelha",
            "design de sobrancelhas",
            "design sobrancelha",
            "henna na sobrancelha",
            "brow lamination",
            "laminacao de sobrancelha",
            "laminacao de sobrancelhas",
        ],
    ),
    (procedure("micropigmentação", false), &["micropigmentacao", "microblading", "nanoblading"]),
    // A tattoo named with what is done to it: "tenho tatuagem, posso fazer botox?" asks nothing
    // about removing it.
    (
        procedure("remoção de tatuagem", false),
        &[
            "remocao de tatuagem",
            "remocao de tatuagens",
            "remover tatuagem",
            "tirar tatuagem",
            "tirar uma tatuagem",
            "tirar minha tatuagem",
            "apagar tatuagem",
            "apagar uma tatuagem",
            "apagar minha tatuagem",
            "clarear tatuagem",
            "remocao de tattoo",
            "remover tattoo",
            "tirar tattoo",
            "apagar tattoo",
        ],
    ),
    // The clinic fills lips only: "preenchimento" alone is its Preenchimento Labial, but not
    // under the eyes.
    (
        procedure("preenchimento de olheiras", true),
        &[
            "preenchimento de olheira",
            "preenchimento de olheiras",
            "preenchimento na olheira",
            "preenchimento nas olheiras",
            "preenchimento para olheira",
            "preenchimento para olheiras",
            "preenchimento olheira",
            "preenchimento olheiras",
            "preencher olheira",
            "preencher olheiras",
            "preencher a olheira",
            "preencher as olheiras",
            // The plural said once, as patients write it: "preencher as olheira".
            "preencher as olheira",
            "preenchimento nas olheira",
            "preenchimento embaixo dos olhos",
            "preenchimento abaixo dos olhos",
            "tratamento de olheiras",
            "tratamento para olheiras",
        ],
    ),
    // "Peeling" alone is the clinic's Peeling Químico; with a diamond or crystal it is not.
    (
        procedure("peeling de diamante (microdermoabrasão)", true),
        &[
            "peeling de diamante",
            "peeling diamante",
            "peeling de cristal",
            "peeling cristal",
            "microdermoabrasao",
            "microdermabrasao",
            "dermoabrasao",
        ],
    ),
    // Never a bare "maquiagem": "posso ir de maquiagem?" asks about the visit.
    (
        procedure("maquiagem e penteado", false),
        &[
            "penteado",
            "penteados",
            "maquiagem de noiva",
            "make de noiva",
            "maquiagem e penteado",
            "fazem maquiagem",
            "faz maquiagem",
            "maquiagem profissional",
        ],
    ),
    (procedure("BB Glow", true), &["bb glow", "bbglow", "bb glow facial"]),
    (procedure("bichectomia", true), &["bichectomia", "bola de bichat", "bolas de bichat"]),
    // Round 22: breast surgery, by what is done ("colocar silicone", "aumentar os seios"): a
    // surgery, so no Avaliação is suggested. Never a bare "silicone" or "prótese", which a patient
    // may already have ("tenho silicone, posso fazer botox?"), nor "peito" ("dor no peito").
    (
        procedure("cirurgia de mama (prótese de silicone)", false),
        &[
            "colocar silicone",
            "colocam silicone",
            "coloca silicone",
            "colocacao de silicone",
            "botar silicone",
            "botam silicone",
            "por silicone",
            "implante de silicone",
            "silicone nos seios",
            "silicone no seio",
            "silicone na mama",
            "silicone nas mamas",
            "silicone no peito",
            "silicone nos peitos",
            "aumentar os seios",
            "aumentar seios",
            "aumentar o seio",
            "aumentar a mama",
            "aumentar as mamas",
            "aumentar o peito",
            "aumentar os peitos",
            "aumento de seios",
            "aumento dos seios",
            "aumento de mama",
            "aumento de mamas",
            "aumento das mamas",
            "aumento mamario",
            "reduzir os seios",
            "reducao de mama",
            "reducao de mamas",
            "reducao dos seios",
            "protese mamaria",
            "protese de mama",
        ],
    ),
    (procedure("implante capilar", false), &["implante capilar", "transplante capilar"]),
    (
        procedure("tratamentos para o cabelo", false),
        &[
            "botox capilar",
            "tratamento capilar",
            "progressiva",
            "escova progressiva",
            "hidratacao capilar",
            "queda de cabelo",
            "calvicie",
            "alopecia",
            "tratamento para cabelo",
            "tratamento para o cabelo",
            "tratamento de cabelo",
            // The hair by its other words: "algo para o cabelo da minha filha". Not a bare
            // "capilar" nor "couro cabeludo": "terapia capilar", "microagulhamento capilar" are
            // named as the patient says them.
            "para o cabelo",
            "para cabelo",
            "cabelo caindo",
            "cabelo ralo",
            "queda capilar",
        ],
    ),
    (
        procedure("tratamentos odontológicos", false),
        &["nos dentes", "dental", "dentario", "dentista", "facetas", "aparelho nos dentes"],
    ),
    // A hormone implant is a doctor's prescription, not an aesthetic procedure: no Avaliação.
    (
        procedure("implante hormonal (chip da beleza)", false),
        &["chip da beleza", "chip hormonal", "implante hormonal", "gestrinona", "chip de gestrinona"],
    ),
    (
        procedure("furo de orelha (piercing)", false),
        &[
            "furo humanizado",
            "furo na orelha",
            "furo de orelha",
            "furar a orelha",
            "furar orelha",
            "furar as orelhas",
            "piercing",
        ],
    ),
];

const fn procedure(name: &'static str, evaluation_helps: bool) -> OtherProcedure {
    OtherProcedure { name: Cow::Borrowed(name), evaluation_helps }
}

/// The procedure `text` asks about when it is one the clinic does not offer: none when the
/// clinic offers it after all (one of its services is named or aliased as the procedure is).
/// "botox capilar" names a hair treatment even though "botox" alone is the clinic's.
pub fn unoffered_procedure(clinic: &Clinic, text: &str) -> Option<OtherProcedure> {
    let message = normalize(text);
    let offered = offered_names(clinic);
    CATALOGUE
        .iter()
        .find(|(_, phrases)| {
            named(&message, phrases)
                && !phrases.iter().any(|p| offered.iter().any(|name| name.as_str() == *p))
                && !only_the_patient_s_own(&message, phrases)
        })
        .map(|(procedure, _)| procedure.clone())
        .or_else(|| off_the_face(&offered, &message))
        .or_else(|| by_shape(clinic, text))
}

/// Every name and alias of the clinic's services, folded.
fn offered_names(clinic: &Clinic) -> Vec<Normalized> {
    clinic
        .services
        .iter()
        .flat_map(|service| std::iter::once(&service.name).chain(&service.aliases))
        .map(|name| normalize(name))
        .collect()
}

/// Where a procedure would be done, named right after it, that takes it off the face and the
/// chin the clinic treats: "microagulhamento capilar", "peeling nas costas", "limpeza de pele
/// corporal". (bool: whether the Avaliação helps; not for the hair.)
const OFF_THE_FACE: &[(&str, bool)] = &[
    ("capilar", false),
    ("no cabelo", false),
    ("no couro cabeludo", false),
    ("corporal", true),
    ("no corpo", true),
    ("nas costas", true),
    ("na costa", true),
    ("intimo", true),
    ("intima", true),
    ("na virilha", true),
    ("nas axilas", true),
    ("nas pernas", true),
    ("nos bracos", true),
    ("nas maos", true),
    ("nos pes", true),
];

/// How many words may come between the clinic's service and where it would be done: "peeling
/// quimico nas costas", "limpeza de pele profunda nas costas".
const OFF_THE_FACE_REACH: usize = 1;

/// One of the clinic's services (`offered`: their names) asked for somewhere it is not done:
/// named in the patient's words, the service and the place.
fn off_the_face(offered: &[Normalized], message: &Normalized) -> Option<OtherProcedure> {
    let words: Vec<&str> = message.tokens().collect();
    offered.iter().find_map(|name| {
        let name: Vec<&str> = name.tokens().collect();
        let start = (0..words.len()).find(|&at| !name.is_empty() && words[at..].starts_with(&name))?;
        let after = &words[start + name.len()..];
        (0..=OFF_THE_FACE_REACH).find_map(|skip| {
            let rest = after.get(skip..)?;
            OFF_THE_FACE.iter().find_map(|(place, helps)| {
                let place_words: Vec<&str> = place.split(' ').collect();
                rest.starts_with(&place_words).then(|| {
                    let said = words[start..start + name.len() + skip + place_words.len()].join(" ");
                    shaped(said, *helps)
                })
            })
        })
    })
}

/// Endings of the technical names of treatments: "ozonioterapia", "blefaroplastia",
/// "abdominoplastia", "mastopexia". A word that is only the ending ("terapia") names none.
const TREATMENT_ENDINGS: &[&str] = &["terapia", "plastia", "ectomia", "pexia", "lipolise", "lipoescultura"];

/// Words that head a treatment, with the links that name a kind of it: "peeling de ouro",
/// "aplicação de pmma", "preenchimento de bigode chinês", "banho de lua" (a peeling "para as
/// manchas" is the clinic's own, for what it treats); the generic "tratamento" and
/// "acompanhamento" name one only with "para" ("acompanhamento do resultado" is no treatment).
const TREATMENT_HEADS: &[(&str, &[&str])] = &[
    ("peeling", KIND_OF),
    ("laser", KIND_OF),
    ("aplicacao", KIND_OF),
    ("preenchimento", KIND_OF),
    ("banho", &["de"]),
    ("tratamento", &["para"]),
    ("acompanhamento", &["para"]),
];
const KIND_OF: &[&str] = &["de", "do", "da", "dos", "das"];
/// Articles and possessives skipped before what a treatment is for.
pub(super) const ARTICLES: &[&str] = &["o", "a", "os", "as", "um", "uma", "meu", "minha", "meus", "minhas"];
/// Where what a treatment is for ends ("preenchimento de olheira e botox"), and words of when
/// or asking that name no body part nor condition ("peeling pra sexta").
pub(super) const NAME_ENDS: &[&str] = &[
    "e", "ou", "com", "que", "pq", "porque", "para", "no", "na", "em", "de", "do", "da", "se", "mas", "ai",
    "aqui", "ja", "hoje", "amanha", "vcs", "voces", "tem", "quanto", "qual", "quando", "segunda", "terca",
    "quarta", "quinta", "sexta", "sabado", "domingo", "semana", "dia", "mes", "manha", "tarde", "noite",
    "proxima", "proximo", "depois", "antes", "agora", "mesmo", "dela", "dele", "voce",
];
/// How many words name what a treatment is for: "bigode chines".
const NAME_WORDS: usize = 2;
/// Verbs of the patient's own doing: "faço fisioterapia" says what they do, it asks for nothing.
const OWN_DOING: &[&str] = &["faco", "fiz", "fazendo", "tomo", "tomando", "fazia", "fez"];

/// A procedure recognised by its shape, not by name: a word with a treatment's ending, or a
/// treatment's head word followed by what it is for, when none of it is the clinic's (a
/// service, an alias, a contraindication, or a word of what its services are described as
/// treating: "tratamento para manchas" is the Peeling Químico's). Named in the patient's own
/// words.
fn by_shape(clinic: &Clinic, text: &str) -> Option<OtherProcedure> {
    let known = ClinicWords::of(clinic);
    split_clauses(text).find_map(|clause| {
        let message = normalize(clause);
        let words: Vec<&str> = message.tokens().collect();
        technical_name(&words, &known).or_else(|| headed_treatment(&words, &known))
    })
}

/// A word ending as a treatment's technical name does, that the clinic does not name and the
/// patient does not say they are having.
fn technical_name(words: &[&str], known: &ClinicWords) -> Option<OtherProcedure> {
    words
        .iter()
        .enumerate()
        .find(|(at, word)| {
            TREATMENT_ENDINGS.iter().any(|ending| word.ends_with(ending) && word.len() > ending.len() + 2)
                && !known.names(word)
                && !at.checked_sub(1).is_some_and(|before| OWN_DOING.contains(&words[before]))
                && !the_patient_s_own(words, *at)
        })
        .map(|(_, word)| shaped((*word).to_owned(), true))
}

/// "peeling de diamante", "tratamento pra estria", "banho de lua": a head word, its link, and
/// what it is for, none of which the clinic names.
fn headed_treatment(words: &[&str], known: &ClinicWords) -> Option<OtherProcedure> {
    words.iter().enumerate().find_map(|(at, head)| {
        let (_, links) = TREATMENT_HEADS.iter().find(|(known_head, _)| known_head == head)?;
        let link = words.get(at + 1).filter(|link| links.contains(link))?;
        let rest = words.get(at + 2..).unwrap_or_default();
        let skipped = rest.iter().take_while(|word| ARTICLES.contains(word)).count();
        let what: Vec<&str> = rest[skipped..]
            .iter()
            .take_while(|word| !NAME_ENDS.contains(word) && !ARTICLES.contains(word))
            .take(NAME_WORDS)
            .copied()
            .collect();
        let names_a_thing =
            what.first().is_some_and(|first| first.len() > 2 && first.chars().all(char::is_alphabetic));
        if !names_a_thing || what.iter().any(|word| known.names(word)) {
            return None;
        }
        // A bath is no clinical treatment; for the others the doctors may suggest a close one.
        let evaluation_helps = *head != "banho";
        Some(shaped(format!("{head} {link} {}", what.join(" ")), evaluation_helps))
    })
}

/// The words the clinic's file uses for what it does: its services' names, aliases,
/// descriptions and contraindications, folded and in the singular.
pub(super) struct ClinicWords(Vec<String>);

impl ClinicWords {
    pub(super) fn of(clinic: &Clinic) -> ClinicWords {
        let texts = clinic.services.iter().flat_map(|service| {
            std::iter::once(&service.name)
                .chain(&service.aliases)
                .chain(std::iter::once(&service.description))
                .chain(&service.contraindications)
        });
        let mut words: Vec<String> = texts
            .flat_map(|text| {
                normalize(text).tokens().map(|word| singular(word).into_owned()).collect::<Vec<_>>()
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        ClinicWords(words)
    }

    /// Whether the clinic's words name `word`, forgiving plurals and small typos.
    pub(super) fn names(&self, word: &str) -> bool {
        let word = singular(word);
        self.0.iter().any(|known| closeness(&word, known).is_some())
    }
}

fn shaped(name: String, evaluation_helps: bool) -> OtherProcedure {
    OtherProcedure { name: Cow::Owned(name), evaluation_helps }
}

/// A name of one long word (a procedure's technical name) is also found misspelt, as it is
/// heard: "bichequitomia" for "bichectomia". Shorter names must be spelt, as "laser" and
/// "carboxi" are too close to everyday words.
const MIN_FUZZY_CHARS: usize = 10;

/// The patient's verbs of a procedure she has elsewhere: "terça tenho dentista", "vou no
/// dentista" ("faço fisioterapia" is [`OWN_DOING`]'s, said right before it).
const OWN_ENGAGEMENTS: &[&str] = &["tenho", "ter", "vou", "irei"];

/// Words of an appointment that may stand between that verb and the procedure: "tenho uma
/// consulta marcada com o cardiologista", "tenho sessão de fisioterapia".
const AROUND_AN_ENGAGEMENT: &[&str] = &[
    "um", "uma", "o", "a", "no", "na", "ao", "com", "de", "do", "da", "meu", "minha", "consulta", "sessao",
    "hora", "horario", "exame", "retorno", "marcada", "marcado", "agendada", "agendado",
];

/// Words looked back at most from the procedure for the patient's verb.
const ENGAGEMENT_WORDS: usize = 6;

/// Whether every mention of the procedure is the patient's own engagement elsewhere, which
/// only says why a day does not suit ("não pera, terça tenho dentista"), not what they ask for.
fn only_the_patient_s_own(message: &Normalized, phrases: &[&str]) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    let mentions: Vec<usize> = phrases
        .iter()
        .flat_map(|phrase| {
            let phrase: Vec<&str> = phrase.split(' ').collect();
            (0..words.len()).filter(|&at| words[at..].starts_with(&phrase)).collect::<Vec<_>>()
        })
        .collect();
    !mentions.is_empty() && mentions.into_iter().all(|at| the_patient_s_own(&words, at))
}

/// Whether the procedure named at `at` is an engagement the patient has elsewhere: "tenho
/// dentista", "tenho uma consulta com o cardiologista". Her verb, with only the words of an
/// appointment between it and the procedure ("minha prima fez um furo" is someone else's).
fn the_patient_s_own(words: &[&str], at: usize) -> bool {
    let verb =
        words[..at].iter().rev().take(ENGAGEMENT_WORDS).find(|word| !AROUND_AN_ENGAGEMENT.contains(word));
    verb.is_some_and(|verb| OWN_ENGAGEMENTS.contains(verb))
}

fn named(message: &Normalized, phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| {
        let by_ear = || {
            let heard = as_heard(phrase);
            message.tokens().any(|word| closeness(&as_heard(word), &heard).is_some())
        };
        message.contains_phrase(phrase)
            || (!phrase.contains(' ') && phrase.chars().count() >= MIN_FUZZY_CHARS && by_ear())
    })
}

/// A word spelt as it sounds, for what patients write by ear: the hard "c" and "qu" are one
/// sound ("bichectomia", "bichequitomia").
fn as_heard(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut heard = String::with_capacity(word.len());
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        let soft = |next: Option<char>| matches!(next, Some('e' | 'i' | 'h'));
        if c == 'q' && next == Some('u') && matches!(chars.get(at + 2), Some('e' | 'i')) {
            heard.push('k');
            at += 2;
            continue;
        }
        heard.push(if c == 'c' && !soft(next) { 'k' } else { c });
        at += 1;
    }
    heard
}
