use super::*;
use crate::domain::TenantId;

const DEMO: &str = include_str!("../../../../knowledge/demo/clinic.yaml");

fn demo() -> Clinic {
    Clinic::from_yaml(TenantId::parse("demo").unwrap(), DEMO).unwrap()
}

fn service_name(clinic: &Clinic, id: Option<ServiceId>) -> Option<&str> {
    id.and_then(|id| clinic.service(id)).map(|s| s.name.as_str())
}

fn professional_name(clinic: &Clinic, id: Option<ProfessionalId>) -> Option<&str> {
    id.and_then(|id| clinic.professional(id)).map(|p| p.name.as_str())
}

fn assert_services(cases: &[(&str, Option<&str>)]) {
    let clinic = demo();
    for (text, expected) in cases {
        assert_eq!(service_name(&clinic, match_service(&clinic, text)), *expected, "{text:?}");
    }
}

#[test]
fn services_are_found_by_name_and_alias_in_any_spelling() {
    assert_services(&[
        ("quero fazer botox", Some("Botox")),
        ("BOTOX", Some("Botox")),
        ("toxina botulínica", Some("Botox")),
        ("toxina botulinica na testa", Some("Botox")),
        ("preenchimento", Some("Preenchimento Labial")),
        ("quero aumentar a boca", Some("Preenchimento Labial")),
        ("lábios", Some("Preenchimento Labial")),
        ("harmonização", Some("Harmonização Facial")),
        ("harmonizaçao facial", Some("Harmonização Facial")),
        ("peeling", Some("Peeling Químico")),
        ("Peeling químico", Some("Peeling Químico")),
        ("limpeza", Some("Limpeza de Pele")),
        ("limpeza da pele", Some("Limpeza de Pele")),
        ("microagulhamento", Some("Microagulhamento")),
        ("micro agulhamento", Some("Microagulhamento")),
        ("skin booster", Some("Skinbooster")),
        ("skinbooster", Some("Skinbooster")),
        ("papada", Some("Lipo de Papada")),
        ("enzima de papada", Some("Lipo de Papada")),
        ("avaliação", Some("Avaliação")),
        ("uma consulta", Some("Avaliação")),
    ]);
}

#[test]
fn typos_and_plurals_are_forgiven() {
    assert_services(&[
        ("botx", Some("Botox")),
        ("peling", Some("Peeling Químico")),
        ("limpesa de pele", Some("Limpeza de Pele")),
        ("microagulhamentu", Some("Microagulhamento")),
        ("harmonizaçao", Some("Harmonização Facial")),
        ("harmonisacao", Some("Harmonização Facial")),
        ("peelings", Some("Peeling Químico")),
        ("limpezas de pele", Some("Limpeza de Pele")),
        ("avaliacão", Some("Avaliação")),
    ]);
}

#[test]
fn nothing_is_matched_when_no_service_is_named() {
    assert_services(&[
        ("oi, tudo bem?", None),
        ("quanto custa?", None),
        ("bota", None),
        ("limpa", None),
        ("parada", None),
        ("preciso consultar minha agenda", None),
        ("posso consultar os horarios de sabado?", None),
        ("ja consultei com outra clinica", None),
        ("", None),
    ]);
}

#[test]
fn the_most_specific_name_wins() {
    assert_services(&[
        ("peeling", Some("Peeling Químico")),
        ("consulta de avaliação", Some("Avaliação")),
        ("preenchimento labial", Some("Preenchimento Labial")),
        ("consulta de botox", Some("Botox")),
        ("limpeza facial", Some("Limpeza de Pele")),
        ("harmonização facial", Some("Harmonização Facial")),
    ]);
}

#[test]
fn every_service_named_is_listed_once_most_specific_first() {
    let clinic = demo();
    let names = |text: &str| -> Vec<String> {
        match_services(&clinic, text)
            .into_iter()
            .filter_map(|id| service_name(&clinic, Some(id)).map(str::to_owned))
            .collect()
    };
    assert_eq!(names("quero limpeza de pele e botox"), ["Limpeza de Pele", "Botox"]);
    assert_eq!(names("botox, botox e mais botox"), ["Botox"]);
    assert_eq!(names("peeling ou microagulhamento?"), ["Microagulhamento", "Peeling Químico"]);
    assert!(names("nada disso").is_empty());
}

#[test]
fn professionals_are_found_by_name_title_or_role() {
    let clinic = demo();
    let cases = [
        ("dra ana", Some("Dra. Ana Paula Souza")),
        ("Dra. Ana", Some("Dra. Ana Paula Souza")),
        ("ana paula", Some("Dra. Ana Paula Souza")),
        ("com a doutora Ana Paula Souza", Some("Dra. Ana Paula Souza")),
        ("a dermatologista", Some("Dra. Ana Paula Souza")),
        ("dr ricardo", Some("Dr. Ricardo Lima")),
        ("ricardo", Some("Dr. Ricardo Lima")),
        ("com o Ricado", Some("Dr. Ricardo Lima")),
        ("pode ser com o médico", Some("Dr. Ricardo Lima")),
        ("com a juliana", Some("Juliana Reis")),
        ("Julianna", Some("Juliana Reis")),
        ("a esteticista", Some("Juliana Reis")),
        ("com a dra", None),
        ("tanto faz", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(professional_name(&clinic, match_professional(&clinic, text)), expected, "{text:?}");
    }
}

#[test]
fn ks_sounds_like_x() {
    assert_eq!(super::fuzzy::closeness("botoks", "botox"), Some(super::fuzzy::Closeness::Typo));
}

#[test]
fn botox_spelled_as_it_sounds() {
    assert_services(&[("botoks amanha a tarde tem?", Some("Botox")), ("quero botoks", Some("Botox"))]);
}

#[test]
fn health_cues_are_found_whatever_the_spelling() {
    let clinic = demo();
    let cases: &[(&str, &[&str])] = &[
        ("estou amamentando, posso fazer preenchimento?", &["amamentando"]),
        ("to amamentano ainda", &["amamentando"]),
        ("ESTOU GRÁVIDA 🤰", &["grávida"]),
        ("estou gravida de 3 meses", &["grávida"]),
        ("ainda to fazendo quimio", &["quimio"]),
        ("Tenho lúpus", &["lúpus"]),
        ("uso anticoagulante (marevan)", &["anticoagulante", "marevan"]),
        ("tomo isotretinoina, tomo isotretinoína", &["isotretinoína"]),
        ("nao to gravida nem amamentando", &[]),
        ("não estou grávida", &[]),
        ("já amamentei meus 3 filhos", &[]),
        // The gerund the clinic file writes, said in the present tense.
        ("meu bebe tem 4 meses e ainda dou de mamar", &["dando de mamar"]),
        // The baby's side of it: the patient nurses.
        ("minha bebe tem 2 meses e ainda mama no peito", &["amamentando"]),
        ("meu nenem ta mamando ainda 🍼", &["amamentando"]),
        ("Meu bebê MAMA NO PEITO", &["amamentando"]),
        ("minha filha de 5 meses ainda mama", &["amamentando"]),
        ("ela só mama no peito kkk", &["amamentando"]),
        ("meu bb mamou no peito até 1 ano", &[]),
        ("meu bebe ja parou de mamar", &[]),
        ("meu bebe nao mama mais no peito", &[]),
        ("fiz exame de mama ontem", &[]),
        ("minha mama ainda doi", &[]),
        ("ainda da de mamar? sim, dou de mama pro nenem 🍼", &["dando de mamar"]),
        ("eu amamento ainda", &["amamentando"]),
        // The noun of a state the clinic file lists as an adjective.
        ("to de 2 meses de gestação", &["gestante"]),
        ("em periodo de lactacao", &["lactante"]),
        ("dei de mamar até o ano passado", &[]),
        ("o restante eu pago no pix", &[]),
        ("tomo isotretinoína", &["isotretinoína"]),
        ("tomo isotretinoina desde janeiro", &["isotretinoína"]),
        ("to tomando roacutan", &["roacutan"]),
        ("ainda estou dando de mamar", &["dando de mamar"]),
        ("uso anticoagulante e queria fazer labial", &["anticoagulante"]),
        ("quero marcar botox amanhã", &[]),
        ("minha amiga fez e ficou ótimo", &[]),
        // A small typo inside a word, never on its first letter.
        ("obs: ainda to dando de mama pro meu bebe 🍼", &["dando de mamar"]),
        ("to amamentandoo", &["amamentando"]),
        ("GESTANTE de 5 meses", &["gestante"]),
        ("to gestamte", &["gestante"]),
        ("tomo varfarinaa", &["varfarina"]),
        ("o restante eu pago no pix", &[]),
        ("uma mama de silicone", &[]),
        ("quanto é o peeling quimico?", &[]),
        ("to gravidinha de 3 meses 🤰", &["grávida"]),
        ("peeling químico quinta", &[]),
        // Somebody else's condition, in the same clause; the patient's own still counts.
        ("minha mae toma marevan e ficou com medo, mas eu nao tomo nada", &[]),
        ("meu marido usa xarelto", &[]),
        ("minha irmã tá grávida e eu quero fazer botox", &[]),
        ("minha mae toma marevan, eu tomo xarelto", &["xarelto"]),
        ("eu tomo marevan igual minha mae", &["marevan"]),
        // Round 22: somebody else's condition when she is the one to be treated.
        (
            "bom dia, minha esposa ta gravida de 4 meses e ta querendo fazer preenchimento labial, tem horario sabado?",
            &["grávida"],
        ),
        ("minha filha toma roacutan e quer fazer peeling", &["roacutan"]),
        ("minha esposa ta gravida, queria marcar uma limpeza pra ela", &["grávida"]),
        ("MINHA MULHER TA GRÁVIDA E QUER FAZER BOTOX 🤰", &["grávida"]),
        ("minha irma ta esperando nenem e quer fazer limpeza", &["grávida"]),
        ("minha esposa ta gravida e eu quero fazer botox", &[]),
        ("minha mae toma marevan e precisa de carona, quero marcar botox", &[]),
        ("minha mulher ta gravida, vou marcar um botox pra mim", &[]),
        ("minha mae toma marevan, tem horario pra minha limpeza?", &[]),
        // Her polite wish, with her as its subject, or the procedure done on her.
        ("minha vó toma marevan e ela queria fazer um botox", &["marevan"]),
        ("minha filha toma roacutan, da pra fazer o peeling nela sabado?", &["roacutan"]),
        ("minha mae toma marevan, queria marcar um botox pra mim", &[]),
        ("minha sogra usa xarelto, quero marcar botox pro meu marido e pra ela", &["xarelto"]),
        // She asks on the patient's behalf: her wish is to know, not to be treated.
        ("minha mae toma marevan e quer saber se eu posso fazer botox", &[]),
        ("minha esposa ta gravida e deseja saber o preço do botox pra mim", &[]),
        // Round 17: pregnancy said as expecting a baby; not waiting for one's child.
        ("descobri q to esperando nenem 🥰", &["grávida"]),
        ("estou esperando um bebê", &["grávida"]),
        ("to esperando bb", &["grávida"]),
        ("ESPERANDO UM FILHO 🤰", &["grávida"]),
        ("nao to esperando nenem nao kkk", &[]),
        ("minha irmã tá esperando bebê", &[]),
        ("to esperando meu filho sair da escola", &[]),
        ("fico esperando vc responder", &[]),
        ("", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(health_cues(&clinic, text), *expected, "{text:?}");
    }
}

#[test]
fn a_service_is_ruled_out_by_its_own_cues_only() {
    let clinic = demo();
    let named = |name: &str| clinic.service_named(name).unwrap();
    let breastfeeding = vec!["amamentando".to_owned()];
    let isotretinoin = vec!["isotretinoína".to_owned()];
    assert_eq!(named("Preenchimento Labial").ruled_out_by(&breastfeeding), Some("amamentando"));
    assert_eq!(named("Peeling Químico").ruled_out_by(&isotretinoin), Some("isotretinoína"));
    assert_eq!(named("Botox").ruled_out_by(&isotretinoin), None);
    assert_eq!(named("Avaliação").ruled_out_by(&breastfeeding), None);
}

#[test]
fn procedures_the_clinic_does_not_offer_are_recognised() {
    let clinic = demo();
    let cases = [
        ("vocês fazem criolipólise?", Some("criolipólise")),
        ("vcs fazem criolipolise", Some("criolipólise")),
        ("quero marcar bioestimulador", Some("bioestimulador de colágeno")),
        ("Quero marcar BIOESTIMULADOR!!", Some("bioestimulador de colágeno")),
        ("tem sculptra?", Some("bioestimulador de colágeno")),
        ("fazem depilação a laser?", Some("depilação")),
        ("vocês fazem fios de PDO?", Some("fios de sustentação")),
        ("quanto custa a drenagem linfática?", Some("drenagem linfática")),
        ("queria fazer ultraformer", Some("ultrassom microfocado")),
        ("tem botox capilar? meu cabelo ta horrivel kkk", Some("tratamentos para o cabelo")),
        ("fazem lente de contato nos dentes? qual o valor", Some("tratamentos odontológicos")),
        ("Oi! Vocês fazem depilação a laser? quanto é a axila?", Some("depilação")),
        ("faz extensão de cilios? fio a fio ou volume russo", Some("extensão de cílios")),
        ("vcs fazem extensao de cilio??", Some("extensão de cílios")),
        ("quanto ta o LASH LIFTING? 👀", Some("extensão de cílios")),
        ("alongamento de cílios vcs tem?", Some("extensão de cílios")),
        ("tem design de sobrancelha c henna?", Some("design de sobrancelhas")),
        ("botox perto da sobrancelha dói?", None),
        ("quero fazer botox", None),
        ("quero fazer lipo de papada", None),
        ("quanto ta a lipo enzimatica de barriga?", Some("tratamentos para o corpo")),
        ("vcs tratam celulite?", Some("tratamentos para o corpo")),
        ("vcs fazem lipo de abdomen?", Some("tratamentos para o corpo")),
        ("LIPO DE ABDÔMEN vcs fazem??", Some("tratamentos para o corpo")),
        ("queria tirar essa barriguinha antes do verao", Some("tratamentos para o corpo")),
        ("tem lipo abdominal? 🙏", Some("tratamentos para o corpo")),
        ("lipo no abdome qnto custa", Some("tratamentos para o corpo")),
        ("queria sumir c esses pneuzinhos", Some("tratamentos para o corpo")),
        ("tem tratamento pra queda de cabelo?", Some("tratamentos para o cabelo")),
        ("quero a enzima de papada", None),
        ("fazem remoção de tattoo?", Some("remoção de tatuagem")),
        ("queria apagar minha tatuagem do braço", Some("remoção de tatuagem")),
        ("tenho tatuagem, posso fazer botox?", None),
        // The patient's own engagement elsewhere says why a day does not suit.
        ("queria limpeza de pele na terça.. não pera, terça tenho dentista. quarta à tarde", None),
        ("sexta vou no dentista, pode ser sabado?", None),
        ("Nesse horário tenho uma sessão de fisioterapia. Seria possível às 17h?", None),
        ("de manha tenho consulta marcada com o cardiologista", None),
        ("minha prima fez um furo humanizado na orelha, vcs fazem?", Some("furo de orelha (piercing)")),
        ("vcs tem dentista? tenho dentista toda terça", Some("tratamentos odontológicos")),
        ("vcs fazem preenchimento de olheiras?", Some("preenchimento de olheiras")),
        ("Preenchimento nas OLHEIRAS quanto fica??", Some("preenchimento de olheiras")),
        ("da pra preencher as olheira? 🥺", Some("preenchimento de olheiras")),
        ("preenchimento pra olheira", Some("preenchimento de olheiras")),
        ("quero fazer preenchimento", None),
        ("estou de barriga, posso fazer botox?", None),
        ("quero marcar limpeza de pele", None),
        ("oi", None),
        // Round 9: tanning, nails.
        ("oii vcs fazem bronzeamento artificial? queria pro carnaval", Some("bronzeamento artificial")),
        ("BRONZEAMENTO a jato tem?", Some("bronzeamento artificial")),
        ("qro fazer a marquinha de biquini 👙", Some("bronzeamento artificial")),
        ("vcs fazem unha em gel?", Some("manicure e pedicure")),
        // Round 15: a peeling that is not the clinic's; a technical name written by ear.
        (
            "faz peeling de diamante? minha pele ta muito aspera",
            Some("peeling de diamante (microdermoabrasão)"),
        ),
        ("PEELING DE CRISTAL vcs tem??", Some("peeling de diamante (microdermoabrasão)")),
        ("quanto custa microdermoabrasão", Some("peeling de diamante (microdermoabrasão)")),
        ("quero fazer peeling", None),
        ("oi, vcs fazem bichequitomia? quanto fica", Some("bichectomia")),
        ("vcs fazem bichectomia", Some("bichectomia")),
        ("BICHECTOMIA 😍 quanto ta", Some("bichectomia")),
        ("bixectomia tem?", Some("bichectomia")),
        ("queria tirar a bola de bichat", Some("bichectomia")),
        ("criolipolize vcs fazem?", Some("criolipólise")),
        // Round 16: the body by its adjective, a device facial, vitamins in a drip.
        ("oii quanto custa a harmonizaçao gluteia?", Some("tratamentos para o corpo")),
        ("HARMONIZAÇÃO GLÚTEA vcs fazem?", Some("tratamentos para o corpo")),
        ("quanto ta a harmonizacao facial?", None),
        ("qnto custa o hidrafacial de vcs?", Some("Hydrafacial")),
        ("tem HydraFacial? 😍", Some("Hydrafacial")),
        ("vcs fazem hidra facial", Some("Hydrafacial")),
        ("hidrafaciau tem?", Some("Hydrafacial")),
        ("quero hidratação facial", None),
        ("vcs fazem soro terapia?", Some("soroterapia")),
        ("soroterapia tem? 💉", Some("soroterapia")),
        ("aquele soro na veia com vitamina pra imunidade", Some("soroterapia")),
        ("faz sorotrapia?", Some("soroterapia")),
        ("uso um soro de vitamina c na pele, posso fazer peeling?", None),
        // Round 17: feet, a blade on the face, body hair bleached, weight-loss drugs.
        ("Vocês têm atendimento de podologia? Estou com uma unha encravada", Some("podologia")),
        ("vcs fazem dermaplanning? queria tirar aquela penugem do rosto", Some("dermaplaning")),
        ("DERMAPLANING tem?", Some("dermaplaning")),
        ("qnto ta o banho de lua ai?", Some("banho de lua (descoloração de pelos)")),
        ("vcs tem acompanhamento pra emagrecer com mounjaro?", Some("acompanhamento para emagrecimento")),
        ("aplicam ozempic?", Some("acompanhamento para emagrecimento")),
        // Round 22: breast surgery, by what is done; never what the patient already has.
        (
            "oii, vcs colocam silicone? queria aumentar os seios 🙈",
            Some("cirurgia de mama (prótese de silicone)"),
        ),
        ("VCS COLOCAM SILICONE??", Some("cirurgia de mama (prótese de silicone)")),
        ("queria aumentar os seios, quanto fica?", Some("cirurgia de mama (prótese de silicone)")),
        ("faz aumento de mama?", Some("cirurgia de mama (prótese de silicone)")),
        ("qnto ta p colocar silicone no peito", Some("cirurgia de mama (prótese de silicone)")),
        ("tenho silicone, posso fazer botox?", None),
        ("sinto uma dor no peito", None),
    ];
    for (text, expected) in cases {
        let found = unoffered_procedure(&clinic, text);
        assert_eq!(found.as_ref().map(|p| p.name.as_ref()), expected, "{text:?}");
    }
    assert!(unoffered_procedure(&clinic, "criolipólise").is_some_and(|p| p.evaluation_helps));
    assert!(unoffered_procedure(&clinic, "massagem").is_some_and(|p| !p.evaluation_helps));
}

#[test]
fn procedures_outside_the_catalogue_are_recognised_by_their_shape() {
    let clinic = demo();
    let shaped = [
        ("vcs fazem blefaroplastia?", "blefaroplastia"),
        ("quanto custa a ozonioterapia", "ozonioterapia"),
        ("fazem rinoplastia??", "rinoplastia"),
        ("tem MASTOPEXIA ai?", "mastopexia"),
        ("quero marcar peeling de ouro", "peeling de ouro"),
        ("faz preenchimento de bigode chines?", "preenchimento de bigode chines"),
        ("vcs tem tratamento pra estria?", "tratamento para estria"),
        ("aplicacao de pmma vcs fazem", "aplicacao de pmma"),
        ("laser de co2 tem?", "tratamentos a laser"),
        ("quero fazer banho de ofuro", "banho de ofuro"),
    ];
    for (text, expected) in shaped {
        let found = unoffered_procedure(&clinic, text);
        assert_eq!(found.as_ref().map(|p| p.name.as_ref()), Some(expected), "{text:?}");
    }
    // Look-alikes: the clinic's own business, its own services, what its services treat, a
    // patient's own therapy, and days.
    let not_procedures = [
        "vocês fazem parcelamento?",
        "fazem nota fiscal?",
        "tem estacionamento?",
        "trabalham com convênio?",
        "vcs fazem botox?",
        "quanto custa a aplicação de toxina botulínica?",
        "quero preenchimento de labios",
        "preenchimento da minha boca",
        "tem tratamento para manchas?",
        "tratamento pra acne vcs tem?",
        "tratamento para rugas na testa",
        "peeling pra sexta de manhã",
        "meu filho ta tomando roacutan pra acne, ele quer fazer peeling pras manchinhas",
        "preenchimento para amanha",
        "faço fisioterapia toda terça, pode ser quarta?",
        "to fazendo quimioterapia, posso fazer limpeza?",
        "o acompanhamento do resultado é com a dra?",
        "tratamento com a dra ana",
        "quero marcar uma avaliação",
        "terapia",
    ];
    for text in not_procedures {
        assert_eq!(unoffered_procedure(&clinic, text), None, "{text:?}");
    }
}

#[test]
fn the_professional_wanted_is_the_one_after_the_but() {
    let clinic = demo();
    let cases = [
        (
            "pode parar de me oferecer a Juliana, nada contra ela, mas quero com o Dr. Ricardo",
            Some("Dr. Ricardo Lima"),
        ),
        ("a juliana é ótima mas prefiro a dra ana", Some("Dra. Ana Paula Souza")),
        // Nobody named after the "mas": the one named before it.
        ("pode ser com a juliana mas só à tarde", Some("Juliana Reis")),
    ];
    for (text, expected) in cases {
        assert_eq!(professional_name(&clinic, match_professional(&clinic, text)), expected, "{text:?}");
    }
}

#[test]
fn hormone_implants_and_ear_piercing_are_not_offered() {
    let clinic = demo();
    for text in
        ["amiga vcs colocam o chip da beleza?", "fazem implante de gestrinona?", "vcs fazem furo humanizado?"]
    {
        assert!(unoffered_procedure(&clinic, text).is_some_and(|p| !p.evaluation_helps), "{text:?}");
    }
}

#[test]
fn a_baby_fed_at_the_breast_is_breastfeeding() {
    let clinic = demo();
    let breastfeeding: &[&str] = &["amamentando"];
    for text in [
        "meu neném tem 3 meses e ainda tá só no peito",
        "ela ainda mama, dou peito de manhã",
        "🤱 posso fazer botox?",
    ] {
        assert_eq!(health_cues(&clinic, text), breastfeeding, "{text:?}");
    }
    for text in ["ele já parou de pegar o peito", "nao dou mais peito"] {
        assert!(health_cues(&clinic, text).is_empty(), "{text:?}");
    }
}

#[test]
fn a_service_asked_for_off_the_face_is_not_offered() {
    let clinic = demo();
    let named =
        |text: &str| unoffered_procedure(&clinic, text).map(|p| (p.name.into_owned(), p.evaluation_helps));
    assert_eq!(
        named("oi, vcs fazem microagulhamento capilar?"),
        Some(("microagulhamento capilar".to_owned(), false))
    );
    assert_eq!(named("peeling nas costas quanto é"), Some(("peeling nas costas".to_owned(), true)));
    assert_eq!(named("limpeza de pele corporal tem?"), Some(("limpeza de pele corporal".to_owned(), true)));
    for text in ["quero botox no rosto", "limpeza de pele e depois peeling", "microagulhamento pra manchas"] {
        assert_eq!(named(text), None, "{text:?}");
    }
}

#[test]
fn a_role_gone_to_elsewhere_names_none_of_the_clinic_s_professionals() {
    let clinic = demo();
    for text in
        ["quinta eu levo minha mãe no médico", "amanhã tenho médico cedo", "vou ao dermatologista dela"]
    {
        assert_eq!(professional_name(&clinic, match_professional(&clinic, text)), None, "{text:?}");
    }
    assert_eq!(
        professional_name(&clinic, match_professional(&clinic, "pode ser com o médico")),
        Some("Dr. Ricardo Lima")
    );
}

#[test]
fn varicose_veins_and_bb_glow_are_not_offered() {
    let clinic = demo();
    for text in [
        "vocês fazem aquela aplicação para secar as varizes?",
        "vcs fazem bb glow?",
        "vcs fazem aplicação pra secar vasinho das pernas?",
    ] {
        assert!(unoffered_procedure(&clinic, text).is_some(), "{text:?}");
    }
}

#[test]
fn nails_makeup_and_hairdos_are_not_offered() {
    let clinic = demo();
    for text in ["vcs fazem pé e mão?", "vocês fazem maquiagem e penteado de noiva?"] {
        assert!(unoffered_procedure(&clinic, text).is_some_and(|p| !p.evaluation_helps), "{text:?}");
    }
    assert!(unoffered_procedure(&clinic, "posso ir de maquiagem pra limpeza?").is_none());
}

#[test]
fn a_pregnancy_test_come_positive_is_a_pregnancy() {
    let clinic = demo();
    let pregnant: &[&str] = &["grávida"];
    for text in ["fiz o teste de farmácia ontem e deu positivo", "🤰 queria fazer botox amanhã"] {
        assert_eq!(health_cues(&clinic, text), pregnant, "{text:?}");
    }
    assert!(health_cues(&clinic, "meu teste de covid deu positivo").is_empty());
}

#[test]
fn a_diminutive_names_the_service_itself() {
    assert_services(&[
        ("queria tirar essa papadinha 😅 quanto fica?", Some("Lipo de Papada")),
        ("um botoxzinho na testa", Some("Botox")),
        ("uma limpezinha de pele", Some("Limpeza de Pele")),
    ]);
}

#[test]
fn lesions_hair_and_liposuction_by_other_words_are_not_offered() {
    let clinic = demo();
    for text in [
        "vcs tiram verruguinhas do pescoço? me incomodam muito",
        "Gostaria de retirar umas pintas no rosto que me incomodam.",
        "quanto é a lipo LAD?",
        "fazem lipo nos braços? queria tirar esse tchauzinho kkk",
        "vcs tem alguma coisa para o cabelo da minha filha?",
        "meu marido ta com o cabelo caindo, vcs tratam?",
    ] {
        assert!(unoffered_procedure(&clinic, text).is_some(), "{text:?}");
    }
    for text in [
        "posso pagar o sinal no pix?",
        "posso lavar o cabelo depois do botox?",
        "queria tirar essa papadinha",
        "quanto custa a limpeza de pele?",
    ] {
        assert_eq!(unoffered_procedure(&clinic, text), None, "{text:?}");
    }
}
