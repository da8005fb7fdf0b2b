//! Group-committed inbound batches and outbox claims, on both backends.

use serde_json::json;
use sofia::store::{Author, InboundReceipt, InboundWrite, NewInbound};
use sofia_core::domain::{ChannelId, ClinicId, MessageId, MessageKind, Phone};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    a_batch_stores_each_delivery_once_even_when_repeated_inside_it,
    a_batch_larger_than_one_statement_stores_every_row_once,
);

const NOW: &str = "2026-03-02T09:00:00-03:00";

fn write(
    clinic: ClinicId,
    channel: ChannelId,
    phone: &str,
    provider_id: &str,
    author: Author,
    name: Option<&str>,
) -> InboundWrite {
    InboundWrite {
        message: NewInbound {
            id: MessageId::new_random(),
            clinic_id: clinic,
            channel_id: channel,
            phone: Phone::parse(phone).unwrap(),
            provider_message_id: provider_id.into(),
            author,
            kind: MessageKind::Text,
            body: provider_id.into(),
            payload: json!({"type": "text", "body": provider_id}),
            received_at: at(NOW),
        },
        push_name: name.map(str::to_owned),
    }
}

async fn a_batch_stores_each_delivery_once_even_when_repeated_inside_it(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic;
    let channel = clinic.channels[0].id(&clinic.tenant);
    let earlier = write(clinic.id, channel, "+5511987654321", "wamid.EARLIER", Author::Patient, None);
    let [InboundReceipt::Stored { message_id: earlier_id, .. }] =
        db.store.record_inbound_batch(&[earlier]).await.unwrap()[..]
    else {
        panic!("stored")
    };
    let batch = vec![
        write(clinic.id, channel, "+5511987654321", "wamid.A", Author::Patient, Some("Maria Silva")),
        write(clinic.id, channel, "+5511912345678", "wamid.B", Author::Patient, Some("João Prado")),
        write(clinic.id, channel, "+5511987654321", "wamid.A", Author::Patient, Some("Maria Silva")),
        write(clinic.id, channel, "+5511987654321", "wamid.STAFF", Author::StaffPhone, None),
        write(clinic.id, channel, "+5511987654321", "wamid.EARLIER", Author::Patient, None),
    ];
    let receipts = db.store.record_inbound_batch(&batch).await.unwrap();
    let maria = db
        .store
        .conversation_for(clinic.id, &Phone::parse("+5511987654321").unwrap(), at(NOW))
        .await
        .unwrap()
        .id;
    let joao = db
        .store
        .conversation_for(clinic.id, &Phone::parse("+5511912345678").unwrap(), at(NOW))
        .await
        .unwrap()
        .id;
    assert_eq!(
        receipts,
        vec![
            InboundReceipt::Stored { conversation_id: maria, message_id: batch[0].message.id },
            InboundReceipt::Stored { conversation_id: joao, message_id: batch[1].message.id },
            InboundReceipt::Duplicate { conversation_id: maria, message_id: batch[0].message.id },
            InboundReceipt::Stored { conversation_id: maria, message_id: batch[3].message.id },
            InboundReceipt::Duplicate { conversation_id: maria, message_id: earlier_id },
        ]
    );
    let mut pending: Vec<String> = db
        .store
        .pending_inbound(maria)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.provider_message_id.unwrap())
        .collect();
    // Both arrived at the same instant; their order is the ids'.
    pending.sort();
    assert_eq!(pending, ["wamid.A", "wamid.EARLIER"], "staff messages need no turn");
    assert_eq!(db.store.transcript(maria).await.unwrap().len(), 3);
    let joao_patient =
        db.store.patient_by_phone(clinic.id, &Phone::parse("+5511912345678").unwrap()).await.unwrap();
    assert_eq!(joao_patient.and_then(|p| p.name).as_deref(), Some("João Prado"));
}

/// A batch is written in statements of at most 16 rows: 37 phones, each with a name, and 19 of
/// them delivered twice in the same batch, span several statements and are all answered.
async fn a_batch_larger_than_one_statement_stores_every_row_once(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic;
    let channel = clinic.channels[0].id(&clinic.tenant);
    let phone = |i: usize| format!("+55119870{i:05}");
    let mut batch: Vec<InboundWrite> = (0..37)
        .map(|i| {
            let name = format!("Paciente {i}");
            write(clinic.id, channel, &phone(i), &format!("wamid.{i}"), Author::Patient, Some(&name))
        })
        .collect();
    batch.extend(
        (0..37)
            .step_by(2)
            .map(|i| write(clinic.id, channel, &phone(i), &format!("wamid.{i}"), Author::Patient, None)),
    );
    let receipts = db.store.record_inbound_batch(&batch).await.unwrap();
    assert_eq!(receipts.len(), 56);
    let stored = receipts.iter().filter(|r| matches!(r, InboundReceipt::Stored { .. })).count();
    let repeated = receipts.iter().filter(|r| matches!(r, InboundReceipt::Duplicate { .. })).count();
    assert_eq!((stored, repeated), (37, 19));
    for (i, receipt) in receipts.iter().enumerate().skip(37) {
        let first = &receipts[(i - 37) * 2];
        assert_eq!(
            conversation_of(receipt),
            conversation_of(first),
            "a repeat names the first's conversation"
        );
    }
    for i in [0, 16, 17, 36] {
        let patient = db
            .store
            .patient_by_phone(clinic.id, &Phone::parse(&phone(i)).unwrap())
            .await
            .unwrap()
            .expect("a patient with the WhatsApp name");
        assert_eq!(patient.name.as_deref(), Some(format!("Paciente {i}").as_str()));
    }
}

fn conversation_of(receipt: &InboundReceipt) -> sofia_core::domain::ConversationId {
    match receipt {
        InboundReceipt::Stored { conversation_id, .. }
        | InboundReceipt::Duplicate { conversation_id, .. }
        | InboundReceipt::Echo { conversation_id, .. } => *conversation_id,
    }
}
