use super::*;

#[test]
fn praise_is_read_in_its_many_forms() {
    let praise = [
        "amei, vcs são ótimas",
        "amei o resultado da minha limpeza de pele, a Juliana é um amor! obrigada",
        "AMEIII 😍",
        "adorei o atendimento de vcs",
        "vcs sao otimas!!",
        "voces sao maravilhosas ❤️",
        "a Dra. Ana Paula é maravilhosa",
        "o resultado ficou lindo",
        "ficou perfeito, obrigada",
        "ficou mto lindo 🥰",
        "a equipe é super atenciosa",
        "nota 10 pra vcs",
        "super recomendo a clinica",
        "vcs arrasaram",
        "gostei mto do resultado",
        "to amando minha pele",
        "parabéns pelo atendimento",
        "saí de lá muito satisfeita",
        "o atendimento foi excelente",
    ];
    for text in praise {
        assert!(is_praise(text), "{text:?}");
    }
    let not_praise = [
        "perfeito",
        "ótimo, pode marcar",
        "ok, perfeito",
        "não gostei muito do resultado",
        "não amei não",
        "nao ficou lindo",
        "não recomendo",
        "quero ficar linda pro casamento",
        "adoraria marcar um botox",
        "me recomendaram vocês",
        "você recomenda botox ou preenchimento?",
        "quanto custa a limpeza?",
        "tem horário amanhã?",
        "",
    ];
    for text in not_praise {
        assert!(!is_praise(text), "{text:?}");
    }
}
