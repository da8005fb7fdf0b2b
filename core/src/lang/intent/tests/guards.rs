use super::*;

#[test]
fn asking_for_a_person_wants_a_human() {
    let human = [
        "falar com atendente",
        "quero falar com uma pessoa",
        "Quero falar com um humano",
        "humano",
        "atendente",
        "ATENDENTE!!",
        "recepção",
        "me passa pra recepcao",
        "tem alguém de verdade? quero falar com alguém",
        "não quero falar com robô",
        "queria falar com a Dra. Ana",
        "pode me ligar?",
        "tem alguem de carne e osso ai?",
        // Round 6: someone real, not a machine.
        "deixa pra la, quero alguem de vdd",
        "nao quero falar com maquina",
        "can I talk to a real person please?",
        "quiero hablar con una persona",
        "I want to speak to someone",
        "pode alguem me ligar? prefiro resolver por telefone",
        "prefiro resolver com uma pessoa",
        "me passa pra alguem da recepcao",
        "me transfere pra um atendente pf",
        "chama alguém aí pra mim",
        "quero conversar com alguem",
        "quero falar com a moça da recepção",
        "prefiro falar com gente",
        "me passa pra secretaria por favor",
        "quero falar com o dono dessa clinica",
        "preciso falar com a gerente",
        "tem alguem ai pra me atender?",
        "alguém pode me atender por favor",
        "quero falar com atendemte",
        // A complaint that also asks, in so many words, to be put through.
        "quero falar com a gerente, que descaso",
        "a atendente foi grossa, me passa pra gerente",
        // Round 20: the front desk's people, and the clinic's manager.
        "me passa pro pessoal da recepcao",
        "quero falar com a gerente de vcs",
        "chama a menina da recepção pf",
        "quero falar com a dona da clinica",
    ];
    for text in human {
        assert!(wants_human(text), "{text:?}");
    }
    let not_human = [
        // A title before the writer's own first name, and "passar" an appointment to a day.
        "bom dia aqui quem fala é a dona Lurdes queria passar minha limpeza pra sexta de manhã",
        "quero marcar",
        "oi",
        "quanto custa",
        "a pessoa que me atendeu foi ótima",
        "alguem pode me falar o preço do botox?",
        "posso levar uma pessoa comigo?",
        "como chama a doutora?",
        "alguém já fez botox aí? dói?",
        "vc é robo? kkk tanto faz, quanto é a limpeza?",
        // Round 8: a complaint about someone names them, it does not ask for them (it goes to a
        // person as a complaint).
        "a moça da recepção foi super grossa comigo, que falta de respeito",
        "a recepcionista me tratou super mal ontem!!",
        "o atendimento da recepção foi péssimo",
        // Round 6: a person named as who told the patient something is the source, not a request.
        "e o esquema do cartao fidelidade? a menina da recepçao falou",
        "a atendente me disse q tinha desconto no pacote, é verdade?",
        "a recepcionista comentou de uma promoção de limpeza",
        // Round 16: "a gente" is "we", said while talking to one's own people.
        "vou falar com meu noivo pq a gente ta organizando o casamento e os gastos, depois te chamo",
        "vou conversar com meu marido, a gente decide junto",
        "deixa eu falar com minha mae q a gente ve isso, depois te chamo",
        "vou ligar pro meu marido e A GENTE combina",
        // Round 17: the front desk as the place where something is paid or left.
        "se eu precisar desmarcar em cima da hora, essa taxa de 50 reais é cobrada no cartao ou pago na recepçao?",
        "posso pagar na recepção?",
        "deixo o documento na recepcao",
        // Round 20: the front desk as where a thing is; the patient's own boss.
        "o kit ue 🙄 q tava na vitrine da recepcao",
        "aquele kit do balcao da recepçao vcs ainda tem?",
        "esqueci meu guarda chuva no sofa da recepção",
        "ta bom, vou ver com meu gerente se ele libera e te confirmo, pode ser?",
        "vou falar c minha gerente e te aviso",
        "preciso conversar com meu supervisor antes de marcar",
        "deixa eu ver com o meu chefe e com minha coordenadora",
        "",
    ];
    for text in not_human {
        assert!(!wants_human(text), "{text:?}");
    }
}

#[test]
fn stop_keywords_alone_or_explicit_requests_opt_out() {
    let opt_out = [
        "SAIR",
        "sair",
        "Parar",
        "PARAR!",
        "STOP",
        "pare",
        "quero sair",
        "parar, por favor",
        "cancelar mensagens",
        "cancelar as mensagens por favor",
        "não quero mais receber mensagens",
        "Nao quero receber msg",
        "parem de me mandar mensagem",
        "descadastrar",
        "me descadastra dessa lista",
        "me tira da lista",
        "chega de mensagens",
        "chega de msg!!",
        "pode parar de me escrever",
        "para de me escrever por favor",
        "me descadastra",
        // Round 6: the verb alone, with the number.
        "descadastra meu numero",
        "DESCADASTREM esse telefone pfv",
        "Me descadastra 🙏",
        "nao quero mais mensagens de vcs",
        "parem de me chamar",
        "para de me mandar msg",
        "quero cancelar o recebimento dessas mensagens",
        // Round 5: the shape of a stop and what it stops, in other words.
        "nao quero mais receber essas mensagens, obrigada",
        "para de mandar mensagem pra esse numero por favor",
        "chega de promoção!!",
        "pfv parem com essas propagandas",
        "nao quero mais lembrete nenhum",
        "me remove da lista de vcs",
        "tira meu numero dai",
        "pode excluir meu contato",
        "oi\nme remove da lista\nnao tenho interesse",
        "nao tenho interesse, nao me chame mais",
        "para de me encher com essas msgs",
        "pare de me incomodar",
        "quero sair dessa lista de transmissão",
        "please stop messaging me",
        "no me manden más mensajes",
        // Round 8: a sending refused in a formal or indirect request.
        "Prezados, solicito que não me enviem mais mensagens. Att.",
        "peço que nao me mandem mais nada por aqui",
        "gostaria de não receber mais mensagens de vocês",
        "por gentileza, não me envie mais promoções 🙏",
        "favor nao enviar mais msgs pra este numero",
        "solicito q nao me contatem mais",
        "nao me escrevam mais por favor",
        "Prezada equipe, peço a gentileza de não me enviarem mais mensagens",
        "não desejo mais receber mensagens desta clínica",
        "nao tenho interesse em receber promoções",
        // The noun of a formal request.
        "Prezados, solicito a exclusão do meu número da lista de transmissão de vocês.",
        "peço a remoção do meu contato, obrigada",
        "solicito a retirada do meu numero dessa lista",
        // Round 14: "retirar" said formally, the registration for messages.
        "Prezados, solicito gentilmente que retirem meu número do cadastro de envio de mensagens. Grato.",
        "retire meu numero da lista pfv",
        "pode retirar meu contato? obg",
        "me tira do cadastro de vcs",
        "por favor removam meu cadastro do mailing",
    ];
    for text in opt_out {
        assert!(is_opt_out(text), "{text:?}");
    }
}

#[test]
fn stop_words_inside_other_requests_do_not_opt_out() {
    let not_opt_out = [
        "quero cancelar minha consulta",
        "cancelar",
        "quero parar de fumar, o botox ajuda?",
        "posso sair mais cedo do trabalho e ir às 17h",
        "para amanhã",
        "pra amanhã de manhã",
        "pode ser para amanhã?",
        "pra mim",
        "não quero mais a consulta de sexta",
        "para de me enrolar e me fala o preço",
        "chega de adiar! quero marcar botox",
        "parabens pelo atendimento! quero marcar outra limpeza",
        "tira uma duvida: a lista de precos ta atualizada?",
        "quero tirar as manchas do rosto",
        "a remoção da tatuagem ta na lista de precos?",
        "qual o numero da clinica pra remocao de pontos?",
        "quero tirar uma duvida sobre meu cadastro",
        "preciso retirar o resultado do exame, qual o numero da sala?",
        "retirei meu cadastro antigo, preciso fazer outro?",
        "nao quero mais esperar, tem horario hoje?",
        // Round 8: a "não" before sending that refuses nothing to come.
        "vcs nao me mandaram mais nada sobre o horario",
        "nao recebi mais a mensagem de confirmacao",
        "pode não me mandar o endereço? já sei onde é",
        "não tenho interesse em botox, só limpeza",
        "sim",
        "",
    ];
    for text in not_opt_out {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn emergency_symptoms_are_recognised_in_any_spelling() {
    let emergencies = [
        "estou com falta de ar",
        "to com dificuldade pra respirar",
        "DIFICULDADE PARA RESPIRAR",
        "não consigo respirar direito",
        "dor no peito forte",
        "minha mãe desmaiou depois da aplicação",
        "desmaiei",
        "tive um desmaio",
        "reação alérgica grave",
        "reacao alergica grave no rosto",
        "acho que é anafilaxia",
        "minha garganta está fechando",
        "inchaço na garganta",
        "lingua inchada",
        "sangramento que não para",
        "está sangrando muito",
        "sangramento intenso",
        "ela teve uma convulsão",
        "convulsao",
    ];
    for text in emergencies {
        assert!(is_emergency(text), "{text:?}");
    }
    for text in [
        "quero marcar botox",
        "fiquei com um roxinho",
        "estou com alergia a dipirona",
        "dor de cabeça leve",
        "",
    ] {
        assert!(!is_emergency(text), "{text:?}");
    }
}

#[test]
fn a_denied_symptom_is_not_an_emergency() {
    for text in [
        "não estou com falta de ar",
        "Não tenho dor no peito, só queria tirar uma dúvida",
        "sem falta de ar, graças a Deus",
        "nunca tive convulsão",
        "nao to com falta de ar nao",
        "ela não desmaiou",
    ] {
        assert!(!is_emergency(text), "{text:?}");
    }
}

#[test]
fn a_symptom_is_an_emergency_when_any_mention_is_not_denied() {
    for text in [
        "estou com falta de ar",
        "Não! Estou com falta de ar",
        "não sei, mas estou com falta de ar",
        "não sei se é falta de ar mas está difícil",
        "não tenho dor no peito, mas estou com falta de ar",
        "não consigo respirar",
        "o sangramento que não para",
        "fiquei sem ar",
    ] {
        assert!(is_emergency(text), "{text:?}");
    }
}

#[test]
fn an_opt_out_in_the_patient_s_own_words_is_read() {
    let opt_out = [
        "nao me manda mais msg",
        "n quero mais msg de vcs",
        "Não quero receber.",
        "nao quero receber nada, obrigada",
        "não aguento mais essas mensagens 😤",
        "to cansada de receber propaganda de vcs",
        "nao precisa mais me mandar mensagem, obg",
        "não quero mais ser incomodada",
        "nao desejo receber comunicações",
        "chega de ofertas pfv",
        "cancela essas mensagens",
        "pode cancelar as notificações?",
        "desativa as msgs pra mim",
        "quero cancelar minha inscrição",
        "me desinscreve por favor 🙏",
        "favor remover este número da lista",
        "Bom dia. Gostaria que retirassem este telefone da lista de ofertas. Agradeço. Att, Helena",
        "tira esse telefone do cadastro de vcs",
        "me tira desse grupo",
        "quero sair da lista de transmissao",
        "PAREM DE ME MANDAR MSG!!!",
        "para de mandar mensagem pfvr 🙄",
        "Prezados, não tenho interesse. Favor excluir meu contato.",
        "ja falei pra parar de mandar mensagem",
        "vcs podem parar de me mandar msg?",
        "parem de mandar mensagens com horarios de promocao",
        // Contact refused from now on.
        "Não tenho mais interesse, favor não entrar mais em contato.",
        "parem de me contatar por favor",
        "nao me contatem mais",
    ];
    for text in opt_out {
        assert!(is_opt_out(text), "{text:?}");
    }
}

#[test]
fn look_alikes_of_an_opt_out_stay_what_they_are() {
    let not_opt_out = [
        "para sexta",
        "pra sexta de manha",
        "para sexta tem?",
        "quero parar de fumar",
        "chega amanhã o produto?",
        "chega mensagem de confirmação?",
        "chega de espinha!! quero limpeza",
        "posso sair mais cedo?",
        "me manda mais opções",
        "me manda mais horarios pfv",
        "não quero receber anestesia, dá pra fazer sem?",
        "não recebi mensagem nenhuma",
        "to cansada de mandar mensagem e ninguem responder",
        "nao aguento mais essas rugas",
        "quero cancelar a promoção que comprei",
        "quero cancelar minha consulta de sexta",
        "me tira da lista de espera, consegui outro horario",
        "quero sair da lista de espera",
        "quando para de doer?",
        "vai parar de inchar?",
        "preciso parar de tomar o remedio antes?",
        "nao precisa mandar o endereço, ja sei",
        "qual o numero do celular da clinica?",
        "vou entrar em contato mais tarde",
        // The kind of slot offered stopped, not the messages.
        "para de me mandar horario de manha, so posso a tarde",
        "pare de me mandar opções de sábado, não trabalho sábado",
        "a clinica nao entrou mais em contato comigo",
    ];
    for text in not_opt_out {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn a_number_to_be_disregarded_opts_out() {
    for text in [
        "Solicito, por gentileza, que desconsiderem este número para comunicações futuras.",
        "favor desconsiderar meu numero",
        "podem desconsiderar esse contato, obrigado",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    // What is disregarded is something said, not the patient's number.
    for text in
        ["desconsidera a mensagem anterior, me confundi", "pode desconsiderar o que eu falei da sexta"]
    {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn a_number_dropped_in_slang_opts_out() {
    for text in [
        "nao tenho mais interesse nao, deleta meu numero ai",
        "me tira do zap de vcs pfv",
        "ESQUECE MEU NUMERO. NAO TENHO INTERESSE",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in [
        "me tira uma duvida pelo whats?",
        "esquece, pode ser sexta",
        "esquece, me manda o numero do pix",
        "deleta a foto que te mandei",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn not_wanting_to_be_sent_anything_more_opts_out() {
    for text in [
        "Não tenho interesse e não quero que me mandem mais propaganda.",
        "vcs tão me mandando zap todo dia, já deu 🙄 não quero ser mais incomodada",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in ["não quero que me mandem o boleto, pago no pix", "não acho que me mandaram nada"] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn taking_oneself_off_as_it_is_said_opts_out() {
    assert!(is_opt_out("faz o favor de tirar eu dessa lista aí, obrigado"));
    assert!(!is_opt_out("eu tirei a lista de preços do site de vcs"));
}

#[test]
fn taking_this_number_off_for_its_owner_opts_out() {
    assert!(is_opt_out(
        "Oi, esse número é da minha avó, ela não usa mais o WhatsApp. Podem tirar ele da lista de vocês?"
    ));
    assert!(is_opt_out("esse numero nao é mais da minha mãe, tira ela da lista por favor"));
    // Without this number spoken of, "ele" is someone else.
    assert!(!is_opt_out("meu marido quer saber se pode tirar ele da lista de espera"));
    assert!(!is_opt_out("esse número é da minha avó, ela quer marcar uma avaliação"));
}

#[test]
fn being_left_out_formally_or_regionally_opts_out() {
    for text in [
        "Peço, por gentileza, que me deixem fora das comunicações da clínica.",
        "favor me excluir das mensagens",
        "deixe de me mandar essas coisa, já fiz em outro lugar",
        "num manda mais nada não, moça",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in ["me deixe saber o valor", "me exclua da lista de espera, consegui horario"] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn a_formal_request_to_stop_the_sending_opts_out() {
    for text in [
        "Prezados, solicito que cessem o envio de mensagens para este número. Agradeço a atenção.",
        "Boa tarde. Peço a gentileza de interromperem o envio de mensagens a este número. Grata.",
        "Solicito que deixem de enviar mensagens para este número. Obrigado.",
        "Gostaria que parassem de enviar mensagens para este número. Atenciosamente.",
        "Peço que suspendam o envio de mensagens. Grato pela compreensão.",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in [
        "não quero deixar de fazer o botox, posso remarcar?",
        "vou interromper o tratamento por uns meses",
        "pode cessar a dor depois do peeling?",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn an_opt_out_in_other_forms_and_regions_is_read() {
    for text in [
        "Peço encarecidamente que não me contactem mais por este canal.",
        "Pediria que não me enviassem mais mensagens. Grato.",
        "Prezados, não autorizo o envio de mensagens para este número.",
        "Conforme a LGPD, solicito a exclusão dos meus dados do cadastro de vocês.",
        "por favor parem os envios, não tenho interesse",
        "me tira dessa lista de divulgação",
        "esse numero é do meu pai, tira da lista pfv",
        "todo santo dia essa propaganda de vcs 🙄",
        "num carece mandar mais mensage não, viu",
        "num quero mais essas menssagem",
        "nem tenho mais interesse, esquece esse número aí",
        // Regional speech: no need to keep on sending, with the "mais" after what is sent.
        "num precisa ficar mandando essas promoção mais não, viu",
        "nao precisam continuar me enviando mensagem, obrigada",
        "vcs num carecem de ficar me escrevendo mais nao",
        // Forgotten, in the singular too; sought no more, in the personal infinitive.
        "me esquece, viu? tenho interesse nenhum",
        "esqueçam de mim por favor",
        "Solicito a gentileza de não me procurarem mais.",
        // The registration switched off, and the campaigns stopped.
        "Prezados, solicito o cancelamento do meu cadastro junto à clínica.",
        "desativem meu cadastro por favor",
        "parem de me incluir nas campanhas de vcs",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in [
        "não precisa mandar o endereço, já sei onde é",
        "não precisa ficar mandando o endereço toda hora, já sei chegar",
        "nao vou continuar mandando foto, ja mandei duas",
        "não me esquece de mandar o lembrete amanhã",
        "esquece, me manda o pix",
        "ah esquece, achei o endereço",
        "não precisa procurar mais horário, pode ser esse",
        "quero cancelar minha consulta de sexta",
        "preciso atualizar meu cadastro, mudei de endereço",
        "a campanha de botox ainda tá valendo?",
        "num dia desses eu passo aí",
        "tomo remédio todo dia, tem problema?",
        "vcs mandam lembrete todo dia antes?",
        "tira uma dúvida: o envio do boleto é por email?",
        "não autorizo usar minha foto no instagram de vcs",
        "esse é o numero da minha mãe, ela quer marcar",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn declining_formally_opts_out_and_a_form_of_address_does_not() {
    assert!(is_opt_out(
        "Prezados, agradeço o lembrete, mas dispenso o recebimento de promoções neste número. Att., Maria"
    ));
    for text in [
        "para de me chamar de senhora kkkk tenho 32 anos. queria botox quinta a tarde",
        "pode me chamar de Bia",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn forwarding_or_passing_on_refused_opts_out() {
    for text in [
        "Boa tarde. Solicito a gentileza de não encaminharem mais mensagens a este telefone. Grato, Sr. Alberto",
        "nao repassem mais promocao pra mim",
        "favor nao disparar mais propaganda nesse numero",
        "peço que não me encaminhem mais nada",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    // One message kept from someone else, or forwarded on purpose: no opt-out.
    for text in [
        "nao encaminha essa mensagem pra minha mae, ela vai se assustar",
        "não manda mais nada pro meu marido, só pra mim",
        "pode encaminhar o endereço pra minha filha?",
        "vc repassa o valor do botox?",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn having_had_enough_of_what_is_sent_opts_out() {
    for text in [
        "ja deu dessas propaganda no meu zap hein",
        "chega dessas promoção todo dia",
        "to de saco cheio de propaganda de vcs",
        "cansei dessas mensagens",
        "enjoei desse spam",
        "farto desses anuncios",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    // The same idioms with nothing sent after them.
    for text in [
        "ja deu a hora, vou ter que sair",
        "deu certo o horario? chega de enrolar kkk",
        "cansei de esperar a Juliana, ela atrasou",
        "to de saco cheio do meu chefe, quero uma limpeza sabado",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn the_own_number_kept_from_marketing_opts_out() {
    for text in [
        "Meu número é pessoal, não é para propaganda.",
        "Solicito que não utilizem mais meu número para fins de marketing.",
        "este celular nao e pra promoção, obrigado",
        "peço que não usem meus dados para publicidade",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in [
        "não uso mais esse número, anota o novo: 11 98888-7777",
        "não usem o número antigo, só esse",
        "pode usar esse número pros lembretes",
        "meu número não é para sábado, é pra segunda kkk",
        "vi o anúncio de vocês, meu número é esse mesmo",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn belonging_to_the_list_refused_opts_out() {
    for text in [
        "Prezados, informo que não desejo mais fazer parte da lista de transmissão da clínica. Atenciosamente, Rosa",
        "nao quero mais participar desse grupo de vcs",
        "não tenho interesse em continuar no cadastro de vocês",
        "não quero mais constar na lista de contatos",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in [
        "não quero continuar o tratamento, quero só a avaliação",
        "não quero participar da promoção, só a limpeza",
        "não quero ficar sem horário na lista de espera",
        "não quero ficar na fila de espera não, quero marcar logo",
        "não tenho convênio",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn the_own_number_blocked_or_what_is_sent_kept_from_arriving_opts_out() {
    for text in [
        "bloqueia meu número aí pra essas propaganda num chegar mais, obrigada",
        "peço que bloqueiem este contato",
        "não quero que chegue mais mensagem de promoção",
        "pra não vir mais propaganda nesse zap",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in [
        "bloqueia esse horário pra mim, por favor",
        "bloquearam meu cartão, posso pagar no pix?",
        "a confirmação não chegou, ta marcado?",
        "o lembrete não chega no meu zap",
        "não vou conseguir vir mais cedo",
    ] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}

#[test]
fn the_sending_stopped_as_it_goes_on_opts_out() {
    for text in [
        "dá pra vcs pararem de ficar me enviando esses negócio? todo santo dia",
        "moço, tem como parar de ficar mandando essas oferta pra mim?",
        "pare de continuar me escrevendo",
    ] {
        assert!(is_opt_out(text), "{text:?}");
    }
    for text in ["para de ficar me enrolando e me diz o preço", "parem de ficar me chamando de senhora"] {
        assert!(!is_opt_out(text), "{text:?}");
    }
}
