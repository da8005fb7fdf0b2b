//! The words behind the short-reply and guard classifiers, written already folded (no accents,
//! slang expanded: "pra" is written "para") because they are compared with folded messages.
//! A test checks that every entry is its own normal form.

/// A message that opens with one of these is a yes (unless it also says no or "mas").
pub(super) const YES_OPENERS: &[&str] = &[
    "sim",
    "isso",
    "confirmo",
    "confirma",
    "confirmado",
    "ok",
    "okay",
    "beleza",
    "fechado",
    "perfeito",
    "claro",
    "com certeza",
    "pode marcar",
    "pode agendar",
    "pode confirmar",
    "pode sim",
    "combinado",
    "certo",
    "exato",
    "exatamente",
    "otimo",
    "show",
    "bora",
    "aceito",
    "positivo",
    "esta bom",
    "esta otimo",
    "esta certo",
    "esta perfeito",
    "quero sim",
    "uhum",
    "aham",
    "manda ver",
    "manda bala",
    "pode mandar",
    "pode fazer",
    "vai la",
];

/// Words a yes may be made of entirely ("pode ser", "sim, pode marcar esse horário, obrigada").
/// "pode ser" is not an opener: "pode ser sexta?" proposes something else.
pub(super) const YES_WORDS: &[&str] = &[
    "sim",
    "pode",
    "ser",
    "isso",
    "mesmo",
    "confirmo",
    "confirma",
    "confirmar",
    "confirmado",
    "ok",
    "okay",
    "beleza",
    "fechado",
    "perfeito",
    "claro",
    "certeza",
    "marcar",
    "agendar",
    "otimo",
    "bom",
    "certo",
    "combinado",
    "show",
    "bora",
    "vamos",
    "aceito",
    "exato",
    "legal",
    "joia",
    "tranquilo",
    "excelente",
    "maravilha",
    "uhum",
    "aham",
    "quero",
];

/// Words that add nothing to a yes or a no: politeness, pronouns, "esse horário".
pub(super) const FILLER_WORDS: &[&str] = &[
    "por", "favor", "obrigado", "obrigada", "entao", "la", "para", "mim", "e", "o", "a", "com", "esse",
    "essa", "este", "esta", "horario", "dia", "ai", "tudo", "sofia", "eu", "me", "agora",
];

/// A message that opens with one of these is a no.
pub(super) const NO_OPENERS: &[&str] =
    &["nao", "nenhum", "nenhuma", "negativo", "nem", "nunca", "jamais", "de jeito nenhum"];

/// A no anywhere in the message.
pub(super) const NO_ANYWHERE: &[&str] = &[
    "nao quero",
    "nao precisa",
    "nao obrigado",
    "nao obrigada",
    "melhor nao",
    "agora nao",
    "acho que nao",
    "prefiro nao",
    "mas nao",
    "nao vai dar",
    "nao da",
    "nao serve",
    "nao rola",
];

/// Words that negate, and so spoil a yes.
pub(super) const NEGATIONS: &[&str] = &["nao", "nunca", "nem", "negativo", "jamais", "nenhum", "nenhuma"];

/// A "não" that means yes.
pub(super) const NO_PROBLEM: &[&str] =
    &["nao tem problema", "sem problema", "sem problemas", "nao ha problema", "por que nao"];

/// "sim, mas…": a yes with a condition is not a plain yes.
pub(super) const BUT: &[&str] = &["mas", "porem", "so que", "entretanto", "contanto"];

/// A "não" about an appointment is a cancellation or a change, not a plain no.
pub(super) const APPOINTMENT_ACTIONS: &[&str] = &[
    "cancelar",
    "cancela",
    "cancelamento",
    "desmarcar",
    "desmarca",
    "remarcar",
    "reagendar",
    "nao vou poder",
    "nao vou conseguir",
    "nao posso ir",
    "nao sei",
];

pub(super) const GREETINGS: &[&str] = &[
    "oi",
    "oie",
    "oii",
    "ola",
    "bom dia",
    "boa tarde",
    "boa noite",
    "e ai",
    "eai",
    "opa",
    "hey",
    "hello",
    "hi",
    "alo",
    "salve",
    "ei",
    "tudo bem",
    "tudo bom",
    "como vai",
];

pub(super) const THANKS: &[&str] = &[
    "obrigado",
    "obrigada",
    "obrigadinho",
    "obrigadinha",
    "valeu",
    "agradeco",
    "agradecido",
    "agradecida",
    "grato",
    "grata",
    "gratidao",
    "thank you",
];

pub(super) const HUMAN: &[&str] = &[
    "atendente",
    "atendimento humano",
    "humano",
    "humana",
    "pessoa de verdade",
    "pessoa real",
    "falar com alguem",
    "falar com uma pessoa",
    "falar com pessoa",
    "recepcao",
    "recepcionista",
    "falar com a clinica",
    "falar com o responsavel",
    "gerente",
    "nao quero falar com robo",
    "falar com a dra",
    "falar com o dr",
    "falar com a doutora",
    "falar com o doutor",
    "falar com a medica",
    "falar com o medico",
    "me liga",
    "me ligue",
    "pode me ligar",
    "carne e osso",
    "ser humano",
    "tem alguem ai",
    "alguem de verdade",
    "alguem real",
    "falar com gente",
    "nao quero robo",
    "falar com maquina",
];

/// Verbs that put a patient through to someone: with one of [`PEOPLE`] in the same clause they
/// ask for a person ("pode alguém me ligar?", "me passa pra alguém da recepção", "prefiro
/// resolver com uma pessoa"). "falar" only with "com": "alguém pode me falar o preço?" asks the
/// price.
pub(super) const PUT_THROUGH: &[&str] = &[
    "falar com",
    "conversar com",
    "resolver com",
    "ligar",
    "liga",
    "ligue",
    "ligam",
    "chamar",
    "chama",
    "chame",
    "transferir",
    "transfere",
    "transfira",
    "encaminhar",
    "encaminha",
    "encaminhe",
    "passar para",
    "passa para",
    "passe para",
    "me atender",
    "me atenda",
    "me atende",
];

/// Who a patient asks to be put through to. Not "equipe" or "responsável": "vou falar com o
/// responsável lá do trabalho" is about someone else's.
pub(super) const PEOPLE: &[&str] = &[
    "pessoa",
    "alguem",
    "humano",
    "humana",
    "atendente",
    "gente de verdade",
    "moca",
    "secretaria",
    "funcionaria",
    "funcionario",
    "gente",
    "dono",
    "dona",
    "gerente",
    "coordenadora",
    "coordenador",
    "supervisora",
    "supervisor",
];

/// Opt-out keywords, which count only as (nearly) the whole message: "SAIR", "parar, por favor".
pub(super) const OPT_OUT_KEYWORDS: &[&str] = &[
    "sair",
    "parar",
    "pare",
    "para",
    "stop",
    "descadastrar",
    "descadastre",
    "descadastra",
    "remover",
    "unsubscribe",
    "chega",
];

/// Opt-out requests that are unmistakable anywhere in a message.
pub(super) const OPT_OUT_PHRASES: &[&str] = &[
    "cancelar mensagens",
    "cancelar as mensagens",
    "cancelar mensagem",
    "cancelar essas mensagens",
    "nao quero mais receber",
    "nao quero receber",
    "parar de receber",
    "pare de me mandar",
    "parem de me mandar",
    "pare de mandar",
    "parem de mandar",
    "para de mandar",
    "para de me mandar",
    "cancelar o recebimento",
    "recebimento dessas mensagens",
    "recebimento das mensagens",
    "nao me mande",
    "nao me mandem",
    "nao mande mais",
    "nao mandem mais",
    "nao envie mais",
    "nao enviem mais",
    "parar de enviar",
    "pare de enviar",
    "me tire da lista",
    "me tira da lista",
    "sair da lista",
    "tirar meu numero",
    "tire meu numero",
    "remover meu numero",
    "remova meu numero",
    "descadastrar",
    "descadastre",
    "me descadastra",
    "chega de mensagem",
    "chega de mensagens",
    "chega de mandar mensagem",
    "parar de me escrever",
    "pare de me escrever",
    "para de me escrever",
    "parem de me escrever",
    "parar de me mandar",
    "nao me escreva mais",
    "nao me escrevam mais",
    "nao quero mais mensagens",
    "nao quero mais mensagem",
    "me tira dessa lista",
    "me tire dessa lista",
    "me remove da lista",
    "me remova da lista",
    "nao quero mais ser contatada",
    "nao quero mais ser contatado",
    "para de me chamar",
    "pare de me chamar",
    "parem de me chamar",
    "nao me chame mais",
    "nao me chamem mais",
    "nao me liguem mais",
    "nao me ligue mais",
    "nao me procurem mais",
    "nao entrem mais em contato",
    "nao entre mais em contato",
    // Tourists: "please stop messaging me", "no me manden más mensajes".
    "stop messaging",
    "stop texting",
    "stop sending",
    "unsubscribe me",
    "no more messages",
    "no me manden mas",
    "no me mandes mas",
    "dejen de mandar",
    "deja de mandar",
];

/// Stopping something, before what is stopped: "para de mandar mensagem", "chega de
/// promoção", "não quero mais receber".
pub(super) const STOPS: &[&str] = &[
    "para de",
    "pare de",
    "parem de",
    "parar de",
    "para com",
    "pare com",
    "parem com",
    "chega de",
    "nao quero mais",
    "nao quero receber",
    "nao me mande",
    "nao me mandem",
    "nao mande",
    "nao mandem",
    "nao envie",
    "nao enviem",
];

/// Messages and sending them: what a stop is about when it opts out.
pub(super) const MESSAGING: &[&str] = &[
    "mensagem",
    "mensagens",
    "mandar",
    "enviar",
    "escrever",
    "receber",
    "chamar",
    "notificacao",
    "notificacoes",
    "promocao",
    "promocoes",
    "propaganda",
    "propagandas",
    "spam",
    "lembrete",
    "lembretes",
    "zap",
    "whatsapp",
    // Contact itself: "para de me encher", "pare de me incomodar".
    "encher",
    "perturbar",
    "incomodar",
    "importunar",
];

/// Taking the patient off, before what from: "me remove da lista", "tira meu número".
pub(super) const OFF_THE_LIST: &[&str] = &[
    "tira", "tire", "tirem", "tirar", "remove", "remova", "removam", "remover", "exclui", "exclua",
    "excluam", "excluir", "apaga", "apague", "apaguem", "apagar",
];

/// What the patient is taken off: the clinic's list, their number or contact.
pub(super) const OUR_LIST: &[&str] = &["lista", "numero", "contato", "contatos"];

/// Words that may surround an opt-out keyword without changing it: "quero sair, obrigado".
pub(super) const OPT_OUT_FILLERS: &[&str] =
    &["por", "favor", "obrigado", "obrigada", "quero", "pode", "me", "ok", "eu", "agora", "ja", "e"];

/// Words that deny a symptom just before it: "não estou com falta de ar", "sem falta de ar",
/// "nunca tive convulsão".
pub(super) const EMERGENCY_NEGATIONS: &[&str] = &["nao", "sem", "nunca", "nem", "nenhum", "nenhuma"];

/// Symptoms that need SAMU 192, not a booking. A symptom the patient denies does not count (see
/// `guards::is_emergency`).
pub(super) const EMERGENCIES: &[&str] = &[
    "falta de ar",
    "dificuldade para respirar",
    "dificuldade de respirar",
    "dificuldade em respirar",
    "nao consigo respirar",
    "nao estou conseguindo respirar",
    "sem conseguir respirar",
    "sem ar",
    "dor no peito",
    "dor forte no peito",
    "aperto no peito",
    "desmaio",
    "desmaiei",
    "desmaiou",
    "desmaiar",
    "desmaiando",
    "reacao alergica grave",
    "reacao alergica forte",
    "reacao alergica seria",
    "anafilaxia",
    "anafilatico",
    "anafilatica",
    "inchaco na garganta",
    "garganta inchada",
    "garganta inchando",
    "garganta fechando",
    "garganta esta fechando",
    "garganta esta inchada",
    "garganta fechou",
    "inchaco na lingua",
    "lingua inchada",
    "lingua inchando",
    "lingua esta inchada",
    "sangramento que nao para",
    "sangramento intenso",
    "sangrando muito",
    "sangrando sem parar",
    "nao para de sangrar",
    "hemorragia",
    "convulsao",
    "convulsoes",
    "convulsionando",
    "convulsionou",
    "infarto",
    "avc",
    "perdeu a consciencia",
    "perdi a consciencia",
    "inconsciente",
    "desacordada",
    "desacordado",
];

/// Asks to see other slots than the ones on offer.
pub(super) const MORE_OPTIONS: &[&str] = &[
    "outros horarios",
    "outro horario",
    "mais horarios",
    "mais opcoes",
    "outras opcoes",
    "outra opcao",
    "tem outro",
    "tem outros",
    "nenhum desses",
    "nenhum deles",
    "nenhum serve",
    "todos os horarios",
    "quais horarios tem",
];

/// Leaves the day to the clinic: the earliest free slot will do.
pub(super) const ANY_DAY: &[&str] = &[
    "qualquer dia",
    "qualquer data",
    "qualquer horario",
    "tanto faz",
    "o quanto antes",
    "o mais cedo possivel",
    "o mais rapido possivel",
    "mais proximo",
    "mais proxima",
    "primeiro horario",
    "primeira data",
    "primeiro disponivel",
    "quando tiver",
    "o que tiver",
];

/// Finds the price too high.
pub(super) const TOO_EXPENSIVE: &[&str] = &[
    "caro",
    "muito caro",
    "salgado",
    "fora do meu orcamento",
    "nao tenho dinheiro",
    "nao cabe no bolso",
    "mais barato",
    "mais em conta",
    "desconto",
];

/// Asks about paying in instalments.
pub(super) const INSTALMENTS: &[&str] =
    &["parcela", "parcelas", "parcelar", "parcelado", "parcelam", "parcelamento", "em quantas vezes"];

/// Agrees with the price.
pub(super) const ACCEPTS_PRICE: &[&str] =
    &["valor ok", "o valor esta bom", "preco bom", "tudo bem o valor", "cabe no bolso", "vale a pena"];

/// Wants to come soon.
pub(super) const THIS_WEEK: &[&str] = &[
    "urgente",
    "com urgencia",
    "o quanto antes",
    "o mais rapido possivel",
    "o mais cedo possivel",
    "essa semana",
    "esta semana",
    "nessa semana",
    "nesta semana",
];

pub(super) const THIS_MONTH: &[&str] = &["esse mes", "este mes", "nesse mes", "neste mes"];

/// Is in no hurry.
pub(super) const LATER: &[&str] =
    &["mes que vem", "proximo mes", "mais para frente", "ano que vem", "daqui uns meses", "sem pressa"];

/// Only gathering information.
pub(super) const BROWSING: &[&str] = &[
    "so pesquisando",
    "so pesquisar",
    "so queria saber",
    "so uma duvida",
    "apenas pesquisando",
    "estou pesquisando",
    "so curiosidade",
];

pub(super) const FIRST_VISIT: &[&str] =
    &["primeira vez", "primeira consulta", "nunca fui", "nunca fui ai", "nao sou paciente", "nunca estive"];

pub(super) const RETURNING: &[&str] = &[
    "ja sou paciente",
    "sou paciente",
    "ja fui ai",
    "ja fiz com voces",
    "ja fiz ai",
    "ja sou cliente",
    "sou cliente",
    "consulta de retorno",
    "meu retorno",
];

pub(super) const FROM_INSTAGRAM: &[&str] = &["instagram", "insta"];
pub(super) const FROM_GOOGLE: &[&str] = &["google"];
pub(super) const FROM_REFERRAL: &[&str] = &[
    "indicacao",
    "me indicou",
    "me indicaram",
    "indicou voces",
    "recomendacao",
    "me recomendou",
    "me recomendaram",
    "uma amiga falou",
];
pub(super) const FROM_ADS: &[&str] = &["anuncio", "propaganda", "vi um anuncio"];

/// No longer interested.
pub(super) const DECLINED: &[&str] = &[
    "nao tenho mais interesse",
    "perdi o interesse",
    "desisti",
    "deixa para la",
    "nao vou querer",
    "nao quero mais fazer",
];

/// Unhappy with the clinic, its care or a result: a person answers a complaint, never a bot.
pub(super) const COMPLAINTS: &[&str] = &[
    "insatisfeita",
    "insatisfeito",
    "insatisfacao",
    "reclamacao",
    "reclamar",
    "absurdo",
    "descaso",
    "falta de respeito",
    "desrespeito",
    "que vergonha",
    "uma vergonha",
    "decepcionada",
    "decepcionado",
    "decepcao",
    "indignada",
    "indignado",
    "revoltada",
    "revoltado",
    "nao gostei do resultado",
    "nao gostei do atendimento",
    "nao gostei nada",
    "fui mal atendida",
    "fui mal atendido",
    "me trataram mal",
    "atendimento ruim",
    "procon",
    "reclame aqui",
    "vou processar",
    "nunca mais volto",
    "nunca mais piso",
    "ninguem responde",
    "ninguem me responde",
    "ninguem respondeu",
    "ninguem me respondeu",
    "ninguem atende",
    "ninguem me atende",
    "ninguem atendeu",
    "ninguem me atendeu",
    "ninguem retorna",
    "ninguem me retorna",
    "ninguem me retornou",
    "ninguem da retorno",
    "palhacada",
    "falta de consideracao",
    // Rudeness from the team, and amateurism: "a moça foi super grossa comigo".
    "foi grossa",
    "foi grosso",
    "super grossa",
    "super grosso",
    "muito grossa",
    "muito grosso",
    "mal educada",
    "mal educado",
    "sem educacao",
    "me destratou",
    "me destrataram",
    "fui destratada",
    "fui destratado",
    "me humilhou",
    "falta de profissionalismo",
    "nada profissional",
    "incompetencia",
    "incompetentes",
    "amadorismo",
    "dinheiro jogado fora",
    // Kept waiting: "esperei mais de uma hora", "tomei chá de cadeira".
    "esperei mais de",
    "fiquei esperando",
    "me deixaram esperando",
    "cha de cadeira",
    // Not answered, reported to the authorities.
    "nao respondem",
    "nao me respondem",
    "nao responderam",
    "ate agora nada",
    "ate agora ninguem",
    "sem resposta",
    "denunciar",
    "denuncia",
    "vigilancia sanitaria",
    "meu advogado",
    "entrar na justica",
    "isso nao se faz",
    "nao se faz isso",
];

/// Harsh words that are a complaint only about the clinic's work: "o resultado ficou horrível"
/// is one, "minha pele está horrível" is why someone books.
pub(super) const HARSH_WORDS: &[&str] = &[
    "horrivel",
    "horroroso",
    "horrorosa",
    "pessimo",
    "pessima",
    "ridiculo",
    "ridicula",
    "torto",
    "torta",
    "deformado",
    "deformada",
    "estragou",
    "estragaram",
    "errado",
    "errada",
    "merda",
    "porcaria",
    "lixo",
    "bosta",
    "vergonhoso",
    "vergonhosa",
];

/// A result that did not come, a complaint when said of a procedure the patient had ("fiz
/// botox e não fez efeito nenhum"); "e se não fizer efeito?" asks beforehand.
pub(super) const NO_RESULT: &[&str] = &[
    "nao fez efeito",
    "nao fez nenhum efeito",
    "nao teve efeito",
    "sem efeito nenhum",
    "nao funcionou",
    "nao pegou",
    "nao adiantou",
    "nao resolveu",
    "nenhum resultado",
    "sem resultado",
    "nao vi resultado",
    "nao vi diferenca",
    "nao mudou nada",
];

/// Harm done, a complaint when the clinic or its procedure did it: "o peeling queimou minha
/// pele", not "o sol manchou minha pele".
pub(super) const HARM_DONE: &[&str] =
    &["queimou", "manchou", "estragou", "deformou", "machucou", "marcou", "errou", "erraram"];
/// Who did the harm, said just before it.
pub(super) const THE_CLINIC_S_HANDS: &[&str] = &[
    "peeling",
    "botox",
    "preenchimento",
    "laser",
    "procedimento",
    "aplicacao",
    "limpeza",
    "microagulhamento",
    "skinbooster",
    "harmonizacao",
    "enzima",
    "acido",
    "tratamento",
    "voces",
    "clinica",
    "doutora",
    "medica",
    "esteticista",
    "dra",
    "dr",
    "doutor",
    "medico",
    "moca",
    "profissional",
    "recepcionista",
    "atendente",
];

/// Being upset, a complaint when it is about the clinic ("to muito chateada com vocês", "fiquei
/// frustrada com o resultado"); "chateada porque não achei horário" is not about its work.
pub(super) const UPSET: &[&str] = &[
    "chateada",
    "chateado",
    "chateacao",
    "furiosa",
    "furioso",
    "irritada",
    "irritado",
    "irritadissima",
    "chateadissima",
    "frustrada",
    "frustrado",
    "puta da vida",
    "muito brava",
    "muito bravo",
    "inaceitavel",
    "lamentavel",
    // Anger in chat words: "to muito puta com vcs", "to pistola".
    "puta",
    "putissima",
    "putissimo",
    "brava",
    "bravo",
    "pistola",
    "revoltante",
];

/// What makes a harsh word about the clinic's work.
pub(super) const ABOUT_THE_CLINIC: &[&str] = &[
    "resultado",
    "atendimento",
    "ficou",
    "voces",
    "clinica",
    "fizeram",
    "aplicaram",
    "aplicacao",
    "servico",
    "procedimento",
];

/// A health plan or its paperwork: "reembolso" said of one ("meu plano faz reembolso?") asks
/// about the plan, it disputes nothing with the clinic.
pub(super) const HEALTH_PLANS: &[&str] =
    &["plano de saude", "plano", "convenio", "seguradora", "seguro saude", "nota fiscal", "recibo"];

/// Money back, a dispute unless a health plan is who pays it back.
pub(super) const REIMBURSEMENT: &[&str] =
    &["reembolso", "reembolsar", "reembolsem", "reembolsa", "ressarcimento", "ressarcir"];

/// Verbs of coming back or buying again: after "nunca mais", a customer lost ("nunca mais faço
/// nada aí", "nunca mais venho").
pub(super) const COMING_BACK: &[&str] = &[
    "volto",
    "venho",
    "piso",
    "faco",
    "marco",
    "compro",
    "indico",
    "recomendo",
    "apareco",
    "boto",
    "coloco",
];

/// Disputes about money: a charge not recognised, a contested fee, money back.
pub(super) const MONEY_DISPUTES: &[&str] = &[
    "cobranca indevida",
    "cobranca errada",
    "cobraram errado",
    "cobrado errado",
    "cobrada errado",
    "cobraram a mais",
    "cobraram duas vezes",
    "cobrado duas vezes",
    "cobrada duas vezes",
    "cobranca duplicada",
    "nao reconheco essa cobranca",
    "nao reconheco a cobranca",
    "nao reconheco esse valor",
    "nao reconheco essa compra",
    "nao fiz essa compra",
    "que cobranca e essa",
    "quero reembolso",
    "quero o reembolso",
    "quero meu reembolso",
    "pedir reembolso",
    "pedir o reembolso",
    "solicitar reembolso",
    "estorno",
    "estornar",
    "estornem",
    "dinheiro de volta",
    "devolver o dinheiro",
    "devolvam o dinheiro",
    "devolucao do dinheiro",
    "devolucao do valor",
    "quero meu dinheiro",
    "nao vou pagar a multa",
    "nao vou pagar essa multa",
    "nao vou pagar essa taxa",
    "nao vou pagar a taxa",
    "nao concordo com a multa",
    "nao concordo com essa multa",
    "nao concordo com a taxa",
    "nao concordo com a cobranca",
    "contestar a multa",
    "contestar a cobranca",
    "contestar a taxa",
    "multa injusta",
    "taxa injusta",
    "cancelar a multa",
    "tirar a multa",
    // Money back in any words: "quero cancelar o pacote e ter o reembolso".
    "reembolso",
    "reembolsar",
    "reembolsem",
    "ressarcimento",
    "ressarcir",
    "valor de volta",
    "grana de volta",
    "receber de volta",
    "quero de volta",
    "devolver o que paguei",
    "devolvam o que paguei",
    "o que eu paguei de volta",
    "o que paguei de volta",
    // Owed, or a purchase to undo: "vcs me devem 200 reais", "quero cancelar o pacote".
    "me devem",
    "estao me devendo",
    "cancelar a compra",
    "cancelar minha compra",
    "cancelar o pacote",
    "cancelar meu pacote",
    // A price quoted elsewhere and another here: "me passaram um valor no insta e aqui tá outro".
    "valor diferente",
    "preco diferente",
    "outro valor",
    "outro preco",
    "quero pagar o que me falaram",
    "quero pagar o que me passaram",
    "o valor que me passaram",
    "o preco que me passaram",
];

/// Paid already: with [`UNDELIVERED`], money the patient wants settled ("paguei o pix e a
/// sessão não aconteceu, quero meu valor").
pub(super) const PAID: &[&str] =
    &["paguei", "ja paguei", "pago adiantado", "paguei adiantado", "fiz o pix", "fiz um pix"];
pub(super) const UNDELIVERED: &[&str] = &[
    "quero meu valor",
    "quero o valor",
    "de volta",
    "devolver",
    "devolvam",
    "nao aconteceu",
    "nao foi realizada",
    "nao foi realizado",
    "nao foi feita",
    "nao foi feito",
    "cancelaram",
    "desmarcaram",
    "nao deram baixa",
    "nao deu baixa",
    "nao caiu",
    "nao consta",
    "nao registraram",
    "nao reconheceram",
];

/// A charge, and words that deny or contest it: together, a money dispute ("apareceu uma
/// cobrança no meu cartão e eu nunca fiz nada aí").
pub(super) const CHARGES: &[&str] = &[
    "cobranca",
    "cobrancas",
    "cobraram",
    "cobrado",
    "cobrada",
    "cobrando",
    "debitaram",
    "descontaram",
    "taxa",
    "multa",
    "debito",
    "debitado",
    "debitada",
    "debitou",
    "cobrou",
    "descontado",
    "descontou",
    "lancamento",
    "extrato",
    "fatura",
];
pub(super) const CONTESTED: &[&str] = &[
    "nunca fiz",
    "nao fiz",
    "nao reconheco",
    "nao autorizei",
    "nao pedi",
    "nunca fui",
    "indevida",
    "indevido",
    "errada",
    "errado",
    "duas vezes",
    "nao vou pagar",
    "nao pago",
    "nao concordo",
    "injusta",
    "injusto",
    "mas eu avisei",
    "em dobro",
    "sem motivo",
    "nao devia",
    "nao deveria",
    // Wants it undone: "quero que tirem isso", "anulem essa multa". Not a bare "tirar": "tirar
    // uma dúvida sobre a taxa" is a question.
    "tirem",
    "tirar isso",
    "tirar essa",
    "retirar isso",
    "retirar essa",
    "retirem",
    "anular",
    "anulem",
    "devolver",
    "devolvam",
    "de volta",
    // Calls the charge a theft: "essa taxa é um roubo".
    "roubo",
    "assalto",
    "extorsao",
    "golpe",
];

/// The clinic charged the patient, told as something that happened ("me cobraram multa",
/// "veio a taxa no cartão"): with [`CHARGE_OBJECTIONS`], a dispute. A fee only asked about
/// ("pago alguma taxa se desmarcar com antecedência?") is a policy question.
pub(super) const CHARGED: &[&str] = &[
    "cobraram",
    "cobrou",
    "cobrado",
    "cobrada",
    "debitaram",
    "debitou",
    "descontaram",
    "descontou",
    "veio a taxa",
    "veio a multa",
    "veio uma taxa",
    "veio uma multa",
    "apareceu uma cobranca",
    "apareceu um debito",
    "apareceu uma taxa",
    "apareceu uma multa",
    "passaram meu cartao",
    "passaram o cartao",
    "passou meu cartao",
    "passou o cartao",
    "cobrando",
];

/// Asking why, or saying they kept the rules, about a charge that happened: "pq vcs me
/// cobraram multa??", "eu remarquei com mais de 24h de antecedência".
pub(super) const CHARGE_OBJECTIONS: &[&str] = &[
    "por que",
    "porque",
    "antecedencia",
    "avisei",
    "avisado",
    "avisada",
    "dentro do prazo",
    "no prazo",
    "a mais",
    "duas vezes",
    // Charged as a no-show though they came: "me cobraram falta mas eu fui".
    "mas eu fui",
    "eu fui na",
    "compareci",
    "nao faltei",
    "de novo",
    "novamente",
    "outra vez",
    "ja paguei",
    "paguei",
];

/// Says Sofia misunderstood: "não é isso", "você não está me entendendo".
pub(super) const MISUNDERSTOOD: &[&str] = &[
    "nao e isso",
    "nao foi isso",
    "nao foi isso que eu perguntei",
    "nao foi o que eu perguntei",
    "voce nao entendeu",
    "nao entendeu",
    "nao esta me entendendo",
    "nao me entendeu",
    "nao entende",
    "nada a ver",
    "nao era isso",
    "nao e nada disso",
    "nao perguntei isso",
    "nao foi o que eu disse",
    "nao foi isso que eu disse",
    "entendeu errado",
    "entendeu tudo errado",
    // Correcting what Sofia answered: "não, eu perguntei do retoque".
    "eu perguntei",
    "perguntei do",
    "perguntei da",
    "perguntei sobre",
    "minha pergunta",
    "nao respondeu",
];

/// Forms of "entender" said of Sofia, which a negation before them makes "you don't understand"
/// ("você não tá entendendo nada"); "não entendi" and "não entendo" are the patient's own
/// doubt, not Sofia's miss.
pub(super) const UNDERSTANDING_SOFIA: &[&str] = &["entende", "entendeu", "entendendo", "entender"];

/// After a procedure: with one of [`SYMPTOMS`], a worry the clinic's team must answer ("fiz o
/// peeling e minha pele está ardendo", "depois do botox meu olho ficou caído").
pub(super) const AFTER_A_PROCEDURE: &[&str] = &[
    "fiz",
    "ja fiz",
    "fizeram",
    "aplicaram",
    "apliquei",
    "depois que fiz",
    "desde que fiz",
    "ficou",
    "ficaram",
    "fiquei",
    "sai com",
    "sai de la",
];

/// What a patient may feel or see after a procedure and worry about. The emergencies (SAMU) are
/// the guards' [`EMERGENCIES`], answered before any of this.
pub(super) const SYMPTOMS: &[&str] = &[
    "ardendo",
    "ardencia",
    "queimando",
    "queimadura",
    "descascando",
    "carne viva",
    "ferida",
    "feridas",
    "bolha",
    "bolhas",
    "inchado",
    "inchada",
    "inchaco",
    "roxo",
    "roxa",
    "hematoma",
    "caido",
    "caida",
    "assimetrico",
    "assimetrica",
    "vermelhidao",
    "coceira",
    "cocando",
    "pus",
    "infeccao",
    "infeccionou",
    "infeccionado",
    "infeccionada",
    "doendo",
    "dolorido",
    "dolorida",
    "dormente",
    "caroco",
    "carocos",
    "nodulo",
    "endurecido",
    "endurecida",
    "espinha",
    "espinhas",
    "bolinha",
    "bolinhas",
    "alergia",
    "alergica",
    "vermelha",
    "vermelho",
    "manchada",
    "manchado",
    "sobrancelha caiu",
    "palpebra caiu",
    "olho caiu",
];

/// Leaves the conversation for later: "vou pensar", "te aviso", "mais tarde eu retorno".
pub(super) const FOR_LATER: &[&str] = &[
    "vou pensar",
    "vou pensar melhor",
    "preciso pensar",
    "deixa eu pensar",
    "vou ver com",
    "vou falar com",
    "preciso ver com",
    "preciso falar com",
    "vou conversar com",
    "vou consultar",
    "vou ver minha agenda",
    "vou olhar minha agenda",
    "vou verificar",
    "te aviso",
    "te falo",
    "te respondo",
    "deixa eu ver",
    "vou confirmar com",
    "preciso confirmar com",
    "te retorno",
    "eu retorno",
    "retorno depois",
    "retorno mais tarde",
    "volto a falar",
    "volto depois",
    "volto mais tarde",
    "depois eu vejo",
    "depois vejo",
    "depois te chamo",
    "depois eu te chamo",
    "qualquer coisa te chamo",
    "qualquer coisa eu te chamo",
    "qualquer coisa eu chamo",
    "mais tarde eu chamo",
    "mais tarde te chamo",
    "entro em contato",
    "depois entro em contato",
    "por enquanto nao",
    "por enquanto e so",
    "por agora e so",
    // Checking with someone first, or another time: "pera, deixa eu falar com meu marido".
    "deixa eu falar com",
    "deixa eu ver com",
    "deixa eu conversar com",
    "deixa eu perguntar",
    "deixa para proxima",
    "deixa para a proxima",
    "fica para proxima",
    "fica para a proxima",
    "fica para outra vez",
    "outro dia eu vejo",
    "por hoje e so",
    "por enquanto e so",
    "sem tempo agora",
];

/// Asks for the earliest free slot itself, not a day: "o primeiro horário livre".
pub(super) const EARLIEST: &[&str] = &[
    "primeiro horario",
    "primeiro horario livre",
    "primeiro horario disponivel",
    "primeiro horario vago",
    "primeira vaga",
    "primeira vaga livre",
    "primeira vaga disponivel",
    "primeiro que tiver",
    "primeiro disponivel",
    "proximo horario livre",
    "proximo horario disponivel",
    "proxima vaga",
    "horario mais proximo",
    "vaga mais proxima",
];

/// Asks for the day's last free slot in set words: "o mais tarde possível".
pub(super) const LATEST: &[&str] = &[
    "mais tarde possivel",
    "horario mais tarde",
    "vaga mais tarde",
    "o mais tarde que tiver",
    "o mais tarde que tem",
    "no fim do dia",
    "no final do dia",
    "fim do expediente",
    "final do expediente",
];

/// Words that praise whatever they are said of: "amei", "arrasaram", "nota 10", "um amor".
pub(super) const PRAISE: &[&str] = &[
    "amei",
    "adorei",
    "amamos",
    "adoramos",
    "amando",
    "adorando",
    "apaixonada",
    "apaixonado",
    "arrasou",
    "arrasaram",
    "arrasam",
    "arrasa",
    "nota 10",
    "nota dez",
    "nota mil",
    "recomendo",
    "vou recomendar",
    "um amor",
    "uns amores",
    "um anjo",
    "uns anjos",
    "um doce",
    "maravilhosa",
    "maravilhosas",
    "maravilhoso",
    "maravilhosos",
    "sensacional",
    "gostei muito",
    "gostei demais",
    "gostei bastante",
    "gostei do resultado",
    "gostei do atendimento",
    "muito satisfeita",
    "muito satisfeito",
    "super satisfeita",
    "super satisfeito",
    "satisfeitissima",
    "satisfeitissimo",
    "parabens",
    "caprichou",
    "caprichado",
    "caprichada",
];

/// Who or what a word of quality praises when said just after it: "vocês são ótimas", "o
/// resultado ficou lindo", "a Juliana é atenciosa".
pub(super) const PRAISED_BY: &[&str] = &[
    "voces",
    "sao",
    "e",
    "foi",
    "ficou",
    "ficaram",
    "equipe",
    "atendimento",
    "resultado",
    "clinica",
    "trabalho",
    "servico",
    "lugar",
    "espaco",
];

/// Words of quality: praise only when said of someone or something (alone, "perfeito" is a yes).
pub(super) const QUALITIES: &[&str] = &[
    "otima",
    "otimas",
    "otimo",
    "otimos",
    "perfeita",
    "perfeitas",
    "perfeito",
    "perfeitos",
    "excelente",
    "excelentes",
    "incrivel",
    "incriveis",
    "lindo",
    "linda",
    "lindos",
    "lindas",
    "demais",
    "top",
    "show",
    "impecavel",
    "atenciosa",
    "atenciosas",
    "atencioso",
    "atenciosos",
    "queridas",
    "querida",
    "fofas",
    "fofa",
    "competentes",
    "competente",
    "divinas",
    "divina",
];

/// Introduces the patient's own name: "meu nome é Ana", "me chamo Ana".
pub(super) const NAME_INTRODUCERS: &[&str] =
    &["meu nome e", "me chamo", "pode me chamar de", "aqui e a", "aqui e o", "aqui quem fala e"];

#[cfg(test)]
pub(super) const ALL: &[&[&str]] = &[
    YES_OPENERS,
    YES_WORDS,
    FILLER_WORDS,
    NO_OPENERS,
    NO_ANYWHERE,
    NEGATIONS,
    NO_PROBLEM,
    BUT,
    APPOINTMENT_ACTIONS,
    GREETINGS,
    THANKS,
    HUMAN,
    PUT_THROUGH,
    PEOPLE,
    OPT_OUT_KEYWORDS,
    OPT_OUT_PHRASES,
    OPT_OUT_FILLERS,
    STOPS,
    MESSAGING,
    OFF_THE_LIST,
    OUR_LIST,
    EMERGENCY_NEGATIONS,
    EMERGENCIES,
    MORE_OPTIONS,
    ANY_DAY,
    TOO_EXPENSIVE,
    INSTALMENTS,
    ACCEPTS_PRICE,
    THIS_WEEK,
    THIS_MONTH,
    LATER,
    BROWSING,
    FIRST_VISIT,
    RETURNING,
    FROM_INSTAGRAM,
    FROM_GOOGLE,
    FROM_REFERRAL,
    FROM_ADS,
    DECLINED,
    COMPLAINTS,
    CHARGES,
    CONTESTED,
    CHARGED,
    CHARGE_OBJECTIONS,
    PAID,
    UNDELIVERED,
    MISUNDERSTOOD,
    UNDERSTANDING_SOFIA,
    AFTER_A_PROCEDURE,
    SYMPTOMS,
    HARSH_WORDS,
    NO_RESULT,
    HARM_DONE,
    THE_CLINIC_S_HANDS,
    UPSET,
    ABOUT_THE_CLINIC,
    MONEY_DISPUTES,
    HEALTH_PLANS,
    REIMBURSEMENT,
    COMING_BACK,
    FOR_LATER,
    EARLIEST,
    LATEST,
    NAME_INTRODUCERS,
    PRAISE,
    PRAISED_BY,
    QUALITIES,
];
