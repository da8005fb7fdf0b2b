use super::*;

fn knowledge() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

fn load_text(text: &str) -> Result<Parsed, SuiteError> {
    let mut clinics = Clinics { dir: knowledge(), loaded: BTreeMap::new() };
    parse(Path::new("evals/test.yaml"), text, &mut clinics)
}

fn suite(text: &str) -> Suite {
    match load_text(text) {
        Ok(Parsed::Conversation(suite)) => suite,
        Ok(Parsed::Retrieval) => panic!("parsed as a retrieval suite"),
        Err(error) => panic!("{error}"),
    }
}

fn error(text: &str) -> String {
    match load_text(text) {
        Ok(_) => panic!("the suite loaded"),
        Err(error) => error.to_string(),
    }
}

/// The example suite of `docs/evals.md` ("The format"): read from the doc itself, so the doc
/// and the loader cannot drift apart.
fn documented_example() -> &'static str {
    const DOC: &str = include_str!("../../../docs/evals.md");
    let format = &DOC[DOC.find("## The format").expect("docs/evals.md has a format section")..];
    let yaml = &format
        [format.find("```yaml\n").expect("the format section has a yaml example") + "```yaml\n".len()..];
    &yaml[..yaml.find("```").expect("the yaml example is closed")]
}

#[test]
fn the_contract_example_loads_with_every_name_resolved() {
    let suite = suite(documented_example());
    let clinic = &suite.clinic.clinic;
    assert_eq!((suite.name.as_str(), suite.tenant.as_str()), ("booking", "demo"));
    assert_eq!(suite.now, DateTime::parse_from_rfc3339("2026-03-02T12:00:00Z").unwrap());
    let case = &suite.cases[0];
    assert_eq!(case.patient.name.as_deref(), Some("Maria Silva"));
    let [own, joao] = &case.setup.appointments[..] else { panic!("two setup appointments") };
    assert_eq!(own.phone, case.patient.phone, "the phone defaults to the case's patient");
    assert_eq!(joao.phone.as_str(), "+5511912345678");
    assert_eq!(joao.professional, clinic.professional_named("Dr. Ricardo Lima").unwrap().id);
    assert_eq!(case.setup.packages[0].used, 1);
    assert_eq!(case.turns.len(), 3);
    assert_eq!(case.turns[0].expect.tools_called, [ToolName::parse("find_slots").unwrap()]);
    assert!(case.turns[0].expect.reply_matches[0].is_match("às 14:30"));
    let outcome = &case.outcome;
    assert_eq!(outcome.appointments[0].service, Some(clinic.service_named("Botox").unwrap().id));
    assert_eq!(outcome.appointments[0].time_to, NaiveTime::from_hms_opt(18, 0, 0));
    assert!(outcome.only_these_appointments && outcome.others_unchanged);
    assert_eq!(
        outcome.lead,
        Some(ExpectedLead { stage: Some(FunnelStage::Scheduled), temperature: Some(Temperature::Hot) })
    );
    assert_eq!((outcome.handoff, outcome.opted_out), (Some(false), Some(false)));
}

const MINIMAL: &str = r#"
suite: s
tenant: demo
now: "2026-03-02T09:00:00-03:00"
cases:
  - id: burst
    patient: { phone: "11 98765-4321" }
    turns:
      - user: ["oi", "queria marcar limpeza"]
"#;

#[test]
fn a_burst_is_a_list_and_everything_else_is_optional() {
    let suite = suite(MINIMAL);
    let case = &suite.cases[0];
    let Step::Patient(burst) = &case.turns[0].step else { panic!("a patient's turn: {:?}", case.turns[0]) };
    assert_eq!(burst.to_vec(), ["oi", "queria marcar limpeza"]);
    assert_eq!(case.patient.phone.as_str(), "+5511987654321", "phones are normalised");
    assert!(case.tags.is_empty() && case.setup.appointments.is_empty());
    assert_eq!(case.outcome.appointments, []);
}

#[test]
fn a_setup_appointment_without_a_professional_gets_the_first_who_works_then() {
    let text = MINIMAL.replace(
        "    turns:",
        "    setup:\n      appointments: [{ service: Botox, start: \"2026-03-03T10:00:00-03:00\" }]\n    turns:",
    );
    let suite = suite(&text);
    let clinic = &suite.clinic.clinic;
    // Tuesday: Dra. Ana Paula does not work, Dr. Ricardo does.
    assert_eq!(
        suite.cases[0].setup.appointments[0].professional,
        clinic.professional_named("Dr. Ricardo Lima").unwrap().id
    );
}

#[test]
fn a_retrieval_suite_is_recognised_and_left_to_the_knowledge_module() {
    let text = "kind: retrieval\nsuite: faq\ntenant: demo\nqueries:\n  - { q: estacionamento, relevant: [parking] }\n";
    assert!(matches!(load_text(text), Ok(Parsed::Retrieval)));
}

#[test]
fn unknown_fields_are_errors_not_silently_skipped_checks() {
    let text = MINIMAL.replace("      - user:", "      - expect: { reply_contain: [oi] }\n        user:");
    let message = error(&text);
    assert!(message.starts_with("evals/test.yaml: not a valid suite file:"), "{message}");
    assert!(message.contains("reply_contain"), "{message}");
}

#[test]
fn errors_name_the_file_the_case_and_the_field() {
    let cases = [
        (
            MINIMAL.replace("      - user: [\"oi\", \"queria marcar limpeza\"]", "      - user: oi\n        expect: { tools_called: [find_slot] }"),
            "evals/test.yaml: case 'burst' turns[0].expect.tools_called[0]: 'find_slot' is not a tool; the tools are: find_slots,",
        ),
        (
            MINIMAL.replace("      - user: [\"oi\", \"queria marcar limpeza\"]", "      - user: oi\n        expect: { reply_matches: [\"(unclosed\"] }"),
            "evals/test.yaml: case 'burst' turns[0].expect.reply_matches[0]: not a valid regex:",
        ),
        (
            MINIMAL.replace("    turns:", "    setup:\n      appointments: [{ service: Botoks, start: \"2026-03-03T10:00:00-03:00\" }]\n    turns:"),
            "evals/test.yaml: case 'burst' setup.appointments[0].service: the clinic has no service 'Botoks'; its services are: Avaliação, Botox,",
        ),
        (
            MINIMAL.replace("    turns:", "    setup:\n      appointments: [{ service: Botox, start: \"2026-03-03T10:00:00-03:00\", professional: Juliana Reis }]\n    turns:"),
            "evals/test.yaml: case 'burst' setup.appointments[0].professional: Juliana Reis does not perform Botox",
        ),
        (
            MINIMAL.replace("    turns:", "    setup:\n      appointments: [{ service: Botox, start: \"2026-03-08T10:00:00-03:00\" }]\n    turns:"),
            "evals/test.yaml: case 'burst' setup.appointments[0].start: nobody who performs Botox works at 2026-03-08 10:00",
        ),
        (
            MINIMAL.replace("\"11 98765-4321\"", "\"abc\""),
            "evals/test.yaml: case 'burst' patient.phone: a phone number may only contain digits",
        ),
        (
            format!("{MINIMAL}    outcome:\n      appointments: [{{ time_from: \"15:00\", time_to: \"14:00\" }}]\n"),
            "evals/test.yaml: case 'burst' outcome.appointments[0].time_to: time_to is before time_from",
        ),
        (
            format!("{MINIMAL}    outcome:\n      appointments: [{{ date: \"03/03/2026\" }}]\n"),
            "evals/test.yaml: case 'burst' outcome.appointments[0].date: '03/03/2026' is not a date such as 2026-03-03",
        ),
        (
            format!("{MINIMAL}  - id: burst\n    patient: {{ phone: \"+5511900000000\" }}\n    turns: [{{ user: oi }}]\n"),
            "evals/test.yaml: cases[1] (case 'burst'): another case of this file has the same id",
        ),
        (
            MINIMAL.replace("tenant: demo", "tenant: nowhere"),
            "evals/test.yaml: the clinic 'nowhere' cannot be loaded:",
        ),
        (MINIMAL.replace("suite: s", "kind: chat\nsuite: s"), "evals/test.yaml: kind: 'chat' is not a suite kind"),
    ];
    for (text, expected) in cases {
        let message = error(&text);
        assert!(message.starts_with(expected), "expected «{expected}…», got «{message}»");
    }
}

#[test]
fn a_folder_is_searched_recursively_and_a_missing_path_is_an_error() {
    let dir = std::env::temp_dir().join(format!("sofia-suites-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("retrieval")).unwrap();
    std::fs::write(dir.join("b.yaml"), MINIMAL.replace("suite: s", "suite: b")).unwrap();
    std::fs::write(dir.join("a.yml"), MINIMAL.replace("suite: s", "suite: a")).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a suite").unwrap();
    std::fs::write(dir.join("retrieval/faq.yaml"), "kind: retrieval\nqueries: []\n").unwrap();
    let loaded = load(std::slice::from_ref(&dir), &knowledge()).unwrap();
    let names: Vec<&str> = loaded.suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["a", "b"], "files in name order");
    assert_eq!(loaded.retrieval, [dir.join("retrieval/faq.yaml")]);

    std::fs::write(dir.join("c.yaml"), MINIMAL.replace("suite: s", "suite: a")).unwrap();
    let message = load(std::slice::from_ref(&dir), &knowledge()).unwrap_err().to_string();
    assert!(
        message.ends_with("case 'burst': suite 'a' already has a case with this id in another file"),
        "{message}"
    );

    let missing = load(&[dir.join("nope.yaml")], &knowledge()).unwrap_err().to_string();
    assert!(missing.contains("nope.yaml: cannot read: no such file or folder"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_case_can_play_the_team_and_move_the_clock() {
    let text = MINIMAL.replace(
        "      - user: [\"oi\", \"queria marcar limpeza\"]",
        "      - user: quero falar com uma pessoa\n        expect: { handoff: true }\n      - staff: \"Oi, aqui é a Carla\"\n      - user: obrigada\n        expect: { silent: true }\n      - resolve: true\n      - wait: 25h\n      - user: oi",
    );
    let suite = suite(&text);
    let steps: Vec<&Step> = suite.cases[0].turns.iter().map(|turn| &turn.step).collect();
    assert!(matches!(steps[0], Step::Patient(_)));
    assert_eq!(steps[1], &Step::Staff("Oi, aqui é a Carla".to_owned()));
    assert_eq!(suite.cases[0].turns[2].expect.silent, Some(true));
    assert_eq!(steps[3], &Step::Resolve);
    assert_eq!(steps[4], &Step::Wait(chrono::Duration::hours(25)));
}

#[test]
fn a_case_can_travel_to_an_instant_and_check_what_the_scheduler_sends() {
    let text = MINIMAL.replace(
        "      - user: [\"oi\", \"queria marcar limpeza\"]",
        "      - at: \"2026-03-03T09:00:00-03:00\"\n        expect: { reply_contains: [\"Responda 1\"] }\n      - user: \"1\"",
    );
    let suite = suite(&text);
    let turn = &suite.cases[0].turns[0];
    assert_eq!(
        turn.step,
        Step::At(chrono::DateTime::parse_from_rfc3339("2026-03-03T12:00:00Z").unwrap().to_utc())
    );
    assert_eq!(turn.expect.reply_contains, ["Responda 1"]);
    for (turn, problem) in [
        ("      - at: amanhã", "is not an instant with its offset"),
        ("      - at: \"2026-03-03T09:00:00\"", "is not an instant with its offset"),
        ("      - at: \"2026-03-03T09:00:00-03:00\"\n        user: oi", "`at` is a turn of its own"),
    ] {
        let text = MINIMAL.replace("      - user: [\"oi\", \"queria marcar limpeza\"]", turn);
        let error = error(&text);
        assert!(error.contains(problem), "{turn}: {error}");
    }
}

#[test]
fn a_patient_s_turn_may_be_a_voice_note_a_photo_and_text_in_one_burst() {
    let text = MINIMAL.replace(
        "      - user: [\"oi\", \"queria marcar limpeza\"]",
        "      - user: oi\n        audio: queria marcar botox amanhã à tarde\n        image: fixtures/skin-photo.jpg",
    );
    let suite = suite(&text);
    let Step::Patient(burst) = &suite.cases[0].turns[0].step else { panic!("a patient's turn") };
    let said: Vec<&Said> = burst.messages().collect();
    assert_eq!(said[0], &Said::Text("oi".into()));
    assert_eq!(said[1], &Said::VoiceNote { transcript: "queria marcar botox amanhã à tarde".into() });
    assert_eq!(said[2], &Said::Photo { path: PathBuf::from("evals/fixtures/skin-photo.jpg") });
    assert_eq!(burst.to_vec(), ["oi", "🎤 queria marcar botox amanhã à tarde", "📷 skin-photo.jpg"]);

    let missing =
        MINIMAL.replace("      - user: [\"oi\", \"queria marcar limpeza\"]", "      - image: nowhere.jpg");
    assert!(error(&missing).contains("turns[0].image: 'nowhere.jpg' is not a file next to the suite"));
}

#[test]
fn a_turn_is_exactly_one_step_and_only_the_patient_s_has_checks() {
    let replace = |turn: &str| MINIMAL.replace("      - user: [\"oi\", \"queria marcar limpeza\"]", turn);
    let cases = [
        (
            replace("      - user: oi\n        staff: olá"),
            "turns[0]: a turn is exactly one of a patient's (`user`, `audio`, `image`), `staff`, \
             `resolve: true`, `wait` and `at`",
        ),
        (
            replace("      - staff: olá\n        expect: { silent: true }"),
            "turns[0].expect: only a patient's (`user`) turn and an `at` turn have checks",
        ),
        (replace("      - wait: amanhã"), "turns[0].wait: 'amanhã' is not a wait such as 30m, 25h or 2d"),
        (replace("      - resolve: false"), "turns[0].resolve: only `resolve: true` means something"),
        (replace("      - staff: \"  \""), "turns[0].staff: the team's message needs some text"),
    ];
    for (text, expected) in cases {
        let message = error(&text);
        assert!(message.contains(expected), "{message}");
    }
}
