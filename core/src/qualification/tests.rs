use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn contacted() -> LeadProgress {
    LeadProgress { contacted: true, ..LeadProgress::default() }
}

fn botox() -> LeadFacts {
    LeadFacts { interest: Some("Botox".into()), ..LeadFacts::default() }
}

#[test]
fn table_of_leads() {
    struct Case {
        name: &'static str,
        facts: LeadFacts,
        progress: LeadProgress,
        score: u8,
        temperature: Temperature,
        stage: FunnelStage,
    }
    let cases = [
        Case {
            name: "nobody yet",
            facts: LeadFacts::default(),
            progress: LeadProgress::default(),
            score: 0,
            temperature: Temperature::Cold,
            stage: FunnelStage::New,
        },
        Case {
            name: "said hello",
            facts: LeadFacts::default(),
            progress: contacted(),
            score: 0,
            temperature: Temperature::Cold,
            stage: FunnelStage::Contacted,
        },
        Case {
            name: "asked about botox",
            facts: botox(),
            progress: contacted(),
            score: 20,
            temperature: Temperature::Cold,
            stage: FunnelStage::Interested,
        },
        Case {
            name: "botox this week in the afternoon, asked for instalments",
            facts: LeadFacts {
                desired_period: Some(Period::Tarde),
                urgency: Some(Urgency::ThisWeek),
                budget: Some(BudgetSignal::AskedInstallments),
                ..botox()
            },
            progress: contacted(),
            score: 55,
            temperature: Temperature::Warm,
            stage: FunnelStage::Interested,
        },
        Case {
            name: "booked botox",
            facts: botox(),
            progress: LeadProgress { booked: true, ..contacted() },
            score: 70,
            temperature: Temperature::Hot,
            stage: FunnelStage::Scheduled,
        },
        Case {
            name: "came and booked again",
            facts: botox(),
            progress: LeadProgress { booked: true, attended: true, ..contacted() },
            score: 100,
            temperature: Temperature::Hot,
            stage: FunnelStage::Converted,
        },
        Case {
            name: "too expensive, gave up",
            facts: LeadFacts { budget: Some(BudgetSignal::TooExpensive), declined: Some(true), ..botox() },
            progress: contacted(),
            score: 0,
            temperature: Temperature::Cold,
            stage: FunnelStage::Lost,
        },
        Case {
            name: "opted out",
            facts: LeadFacts::default(),
            progress: LeadProgress { opted_out: true, ..contacted() },
            score: 0,
            temperature: Temperature::Cold,
            stage: FunnelStage::Lost,
        },
        Case {
            name: "only browsing",
            facts: LeadFacts { urgency: Some(Urgency::Browsing), ..LeadFacts::default() },
            progress: contacted(),
            score: 0,
            temperature: Temperature::Cold,
            stage: FunnelStage::Contacted,
        },
        Case {
            name: "returning, referred, wants a date",
            facts: LeadFacts {
                visit: Some(Visit::Returning),
                source: Some(LeadSource::Referral),
                desired_date: NaiveDate::from_ymd_opt(2026, 3, 6),
                ..botox()
            },
            progress: contacted(),
            score: 50,
            temperature: Temperature::Warm,
            stage: FunnelStage::Interested,
        },
    ];
    for case in cases {
        let q = qualify(&case.facts, case.progress);
        assert_eq!(
            (q.score, q.temperature, q.stage),
            (case.score, case.temperature, case.stage),
            "{}",
            case.name
        );
    }
}

#[test]
fn every_point_has_a_reason() {
    let facts = LeadFacts {
        desired_period: Some(Period::Tarde),
        urgency: Some(Urgency::ThisWeek),
        budget: Some(BudgetSignal::AskedPrice),
        ..botox()
    };
    let q = qualify(&facts, contacted());
    assert_eq!(
        q.reasons,
        [
            "+20 interested in Botox",
            "+10 prefers the tarde period",
            "+15 wants to come this week",
            "+5 asked the price"
        ]
    );
    assert_eq!(q.score, 50);
    let lost = qualify(&LeadFacts { declined: Some(true), ..botox() }, contacted());
    assert_eq!(lost.reasons, ["+20 interested in Botox", "-50 said they are no longer interested"]);
}

#[test]
fn merging_keeps_what_the_newer_facts_leave_out() {
    let mut facts = LeadFacts { urgency: Some(Urgency::Later), ..botox() };
    facts.merge(LeadFacts {
        urgency: Some(Urgency::ThisWeek),
        visit: Some(Visit::First),
        ..LeadFacts::default()
    });
    assert_eq!(facts.interest.as_deref(), Some("Botox"));
    assert_eq!(facts.urgency, Some(Urgency::ThisWeek));
    assert_eq!(facts.visit, Some(Visit::First));
}

fn any_facts() -> impl Strategy<Value = LeadFacts> {
    (
        proptest::option::of(prop_oneof![Just("Botox".to_owned()), Just("Limpeza de Pele".to_owned())]),
        proptest::option::of(prop_oneof![Just(Period::Manha), Just(Period::Tarde), Just(Period::Noite)]),
        proptest::option::of(
            (1u32..=28).prop_map(|d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()),
        ),
        proptest::option::of(any_urgency()),
        proptest::option::of(any_budget()),
        proptest::option::of(prop_oneof![Just(Visit::First), Just(Visit::Returning)]),
        proptest::option::of(prop_oneof![Just(LeadSource::Referral), Just(LeadSource::Instagram)]),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(
            |(interest, desired_period, desired_date, urgency, budget, visit, source, declined)| LeadFacts {
                interest,
                desired_period,
                desired_date,
                urgency,
                budget,
                visit,
                source,
                declined,
            },
        )
}

fn any_urgency() -> impl Strategy<Value = Urgency> {
    prop_oneof![
        Just(Urgency::Browsing),
        Just(Urgency::Later),
        Just(Urgency::ThisMonth),
        Just(Urgency::ThisWeek)
    ]
}

fn any_budget() -> impl Strategy<Value = BudgetSignal> {
    prop_oneof![
        Just(BudgetSignal::TooExpensive),
        Just(BudgetSignal::AskedPrice),
        Just(BudgetSignal::AskedInstallments),
        Just(BudgetSignal::AcceptsPrice)
    ]
}

fn any_progress() -> impl Strategy<Value = LeadProgress> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(contacted, booked, attended, opted_out)| LeadProgress { contacted, booked, attended, opted_out },
    )
}

proptest! {
    #[test]
    fn the_score_stays_within_0_and_100_and_matches_the_temperature(
        facts in any_facts(),
        progress in any_progress(),
    ) {
        let q = qualify(&facts, progress);
        prop_assert!(q.score <= 100);
        let expected = if q.score >= HOT_FROM {
            Temperature::Hot
        } else if q.score >= WARM_FROM {
            Temperature::Warm
        } else {
            Temperature::Cold
        };
        prop_assert_eq!(q.temperature, expected);
    }

    #[test]
    fn more_intent_never_lowers_the_score(
        facts in any_facts(),
        progress in any_progress(),
        (low, high) in (any_urgency(), any_urgency()).prop_map(|(a, b)| (a.min(b), a.max(b))),
        (cheap, ready) in (any_budget(), any_budget()).prop_map(|(a, b)| (a.min(b), a.max(b))),
    ) {
        let score = |change: &dyn Fn(&mut LeadFacts, &mut LeadProgress)| {
            let (mut facts, mut progress) = (facts.clone(), progress);
            change(&mut facts, &mut progress);
            qualify(&facts, progress).score
        };
        let pairs: [(&str, u8, u8); 7] = [
            ("interest", score(&|f, _| f.interest = None), score(&|f, _| f.interest = Some("Botox".into()))),
            ("period", score(&|f, _| f.desired_period = None), score(&|f, _| f.desired_period = Some(Period::Tarde))),
            ("urgency", score(&|f, _| f.urgency = Some(low)), score(&|f, _| f.urgency = Some(high))),
            ("budget", score(&|f, _| f.budget = Some(cheap)), score(&|f, _| f.budget = Some(ready))),
            ("booked", score(&|_, p| p.booked = false), score(&|_, p| p.booked = true)),
            ("attended", score(&|_, p| p.attended = false), score(&|_, p| p.attended = true)),
            ("declined", score(&|f, _| f.declined = Some(true)), score(&|f, _| f.declined = None)),
        ];
        for (fact, less, more) in pairs {
            prop_assert!(less <= more, "{}: {} > {}", fact, less, more);
        }
    }

    #[test]
    fn booking_always_moves_the_stage_to_scheduled_or_beyond(facts in any_facts(), progress in any_progress()) {
        let q = qualify(&facts, LeadProgress { booked: true, ..progress });
        prop_assert!(matches!(q.stage, FunnelStage::Scheduled | FunnelStage::Converted));
    }
}
