use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Waker};

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sofia::inbox::{InboxWriter, WriteError};
use sofia::store::{
    Author, InboundReceipt, InboundWrite, NewInbound, NewOutbound, OutboxReceipt, Store, Waiting,
};
use sofia_core::domain::{ChannelId, ClinicId, DeliveryStatus, Direction, MessageId, MessageKind, Phone};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    an_inbound_message_is_stored_once,
    twenty_concurrent_deliveries_store_one_message,
    pending_inbound_waits_until_processed,
    a_reply_is_queued_once_per_idempotency_key,
    delivery_statuses_only_move_forward,
    a_failed_send_is_recorded,
    message_text_past_the_retention_period_is_blanked,
    a_batch_names_new_patients_and_keeps_the_names_the_clinic_has,
    a_failed_batch_stores_nothing_and_the_next_one_is_stored,
    a_message_delivered_twice_in_one_batch_is_stored_once,
    requests_grouped_in_a_failed_commit_are_each_written_alone
);

/// A group commit saves a patient's WhatsApp name the first time one arrives, and never
/// changes a name the clinic already has; what staff typed on the clinic's phone names nobody.
async fn a_batch_names_new_patients_and_keeps_the_names_the_clinic_has(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let phone = |number: &str| Phone::parse(number).unwrap();
    let (new, nameless, named, staff) =
        (phone("+5511911110001"), phone("+5511911110002"), phone("+5511911110003"), phone("+5511911110004"));
    store.upsert_patient(clinic.id, &nameless, None, now).await.unwrap();
    store.upsert_patient(clinic.id, &named, Some("Maria Silva"), now).await.unwrap();
    // A conversation for the named patient before the batch, so that its phone is read, not created.
    record(
        store,
        &NewInbound { phone: named.clone(), ..inbound(clinic.id, console(&clinic), "before", "oi", now) },
    )
    .await;
    let write = |phone: &Phone, id: &str, author: Author, push_name: &str| InboundWrite {
        message: NewInbound {
            phone: phone.clone(),
            author,
            ..inbound(clinic.id, console(&clinic), id, "oi", now)
        },
        push_name: Some(push_name.to_owned()),
    };
    let batch = [
        write(&new, "a", Author::Patient, "Ana 🌸"),
        write(&nameless, "b", Author::Patient, "Bia"),
        write(&named, "c", Author::Patient, "Mari"),
        write(&staff, "d", Author::StaffPhone, "Clínica Bella Forma"),
    ];

    store.record_inbound_batch(&batch).await.unwrap();

    let name = |phone: Phone| async move {
        store.patient_by_phone(clinic.id, &phone).await.unwrap().and_then(|patient| patient.name)
    };
    assert_eq!(name(new).await.as_deref(), Some("Ana 🌸"));
    assert_eq!(name(nameless).await.as_deref(), Some("Bia"));
    assert_eq!(name(named).await.as_deref(), Some("Maria Silva"), "a known name is kept");
    assert_eq!(name(staff).await, None, "staff's own name is nobody's");
}

/// `retention.messages_days`: text older than the cut is blanked (the rows stay, for counts);
/// newer text, and a message not yet answered however old, are kept.
async fn message_text_past_the_retention_period_is_blanked(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let mut conversation = None;
    let sent = [("old", now - Duration::days(400)), ("recent", now - Duration::days(10))];
    for (body, when) in sent {
        if let InboundReceipt::Stored { conversation_id, message_id } =
            record(store, &inbound(clinic.id, console(&clinic), body, body, when)).await
        {
            store.mark_processed(&[message_id], when).await.unwrap();
            conversation = Some(conversation_id);
        }
    }
    let unanswered = inbound(clinic.id, console(&clinic), "waiting", "waiting", now - Duration::days(500));
    record(store, &unanswered).await;
    let conversation = conversation.unwrap();

    let purged = store.purge_message_bodies(now - Duration::days(365)).await.unwrap();

    assert_eq!(purged, 1);
    let bodies: Vec<String> =
        store.transcript(conversation).await.unwrap().into_iter().map(|m| m.body).collect();
    assert_eq!(bodies.len(), 3, "the rows stay: {bodies:?}");
    assert!(bodies.contains(&String::new()) && bodies.contains(&"recent".to_owned()), "{bodies:?}");
    assert!(bodies.contains(&"waiting".to_owned()), "an unanswered message is not purged: {bodies:?}");
    assert_eq!(store.purge_message_bodies(now - Duration::days(365)).await.unwrap(), 0, "once");
}

const NOW: &str = "2026-03-02T09:00:00-03:00";

fn console(clinic: &sofia_core::clinic::Clinic) -> ChannelId {
    clinic.channels[0].id(&clinic.tenant)
}

fn inbound(
    clinic: ClinicId,
    channel: ChannelId,
    provider_id: &str,
    body: &str,
    at: DateTime<Utc>,
) -> NewInbound {
    NewInbound {
        id: MessageId::new_random(),
        clinic_id: clinic,
        channel_id: channel,
        phone: Phone::parse("+5511987654321").unwrap(),
        provider_message_id: provider_id.into(),
        author: Author::Patient,
        kind: MessageKind::Text,
        body: body.into(),
        payload: json!({"text": body}),
        received_at: at,
    }
}

/// Stores one message through the group-committed path, as a batch of one.
async fn record(store: &dyn Store, message: &NewInbound) -> InboundReceipt {
    let write = InboundWrite { message: message.clone(), push_name: None };
    let receipts = store.record_inbound_batch(&[write]).await.unwrap();
    assert_eq!(receipts.len(), 1, "one receipt per write");
    receipts[0]
}

fn reply(
    clinic: ClinicId,
    conversation: sofia_core::domain::ConversationId,
    key: &str,
    body: &str,
) -> NewOutbound {
    NewOutbound {
        id: MessageId::new_random(),
        clinic_id: clinic,
        conversation_id: conversation,
        idempotency_key: key.into(),
        author: Author::Bot,
        kind: MessageKind::Text,
        body: body.into(),
        payload: json!({}),
        created_at: at(NOW),
    }
}

async fn an_inbound_message_is_stored_once(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let message = inbound(clinic.id, console(&clinic), "wamid.1", "oi", now);
    let first = record(db.store.as_ref(), &message).await;
    let InboundReceipt::Stored { conversation_id, message_id } = first else {
        panic!("first delivery is stored")
    };
    assert_eq!(message_id, message.id);
    let again = record(db.store.as_ref(), &inbound(clinic.id, console(&clinic), "wamid.1", "oi", now)).await;
    assert_eq!(again, InboundReceipt::Duplicate { conversation_id, message_id });
    let transcript = db.store.transcript(conversation_id).await.unwrap();
    assert_eq!(transcript.len(), 1);
    let stored = &transcript[0];
    assert_eq!(
        (stored.direction, stored.author, stored.body.as_str(), &stored.payload),
        (Direction::Inbound, Author::Patient, "oi", &message.payload)
    );
    assert_eq!((stored.created_at, stored.processed_at), (now, None), "a patient's message waits for a turn");
    assert_eq!(stored.provider_message_id.as_deref(), Some("wamid.1"));
}

/// A group commit is one transaction: a row the database refuses (here, a channel that does
/// not exist) takes the whole batch back, and the writer is free for the next batch.
async fn a_failed_batch_stores_nothing_and_the_next_one_is_stored(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let good = inbound(clinic.id, console(&clinic), "wamid.good", "oi", now);
    let orphan = NewInbound {
        phone: Phone::parse("+5511911110009").unwrap(),
        ..inbound(clinic.id, ChannelId::new_random(), "wamid.orphan", "oi", now)
    };
    let batch: Vec<InboundWrite> =
        [&good, &orphan].map(|message| InboundWrite { message: message.clone(), push_name: None }).into();

    assert!(store.record_inbound_batch(&batch).await.is_err(), "an unknown channel is refused");

    let again = record(store, &good).await;
    assert!(
        matches!(again, InboundReceipt::Stored { message_id, .. } if message_id == good.id),
        "the failed batch left nothing behind: {again:?}"
    );
}

/// A provider that repeats a delivery before the first was answered puts both copies in one
/// group commit: the first is stored, the second is its duplicate, beside a new phone's message.
async fn a_message_delivered_twice_in_one_batch_is_stored_once(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let first = inbound(clinic.id, console(&clinic), "wamid.twice", "oi", now);
    let again = inbound(clinic.id, console(&clinic), "wamid.twice", "oi", now);
    let other = NewInbound {
        phone: Phone::parse("+5511911110008").unwrap(),
        ..inbound(clinic.id, console(&clinic), "wamid.other", "olá", now)
    };
    let batch: Vec<InboundWrite> = [&first, &again, &other]
        .map(|message| InboundWrite { message: message.clone(), push_name: None })
        .into();

    let receipts = store.record_inbound_batch(&batch).await.unwrap();

    let [stored, duplicate, other_stored] = receipts[..] else {
        panic!("one receipt per message: {receipts:?}")
    };
    let InboundReceipt::Stored { conversation_id, message_id } = stored else {
        panic!("the first copy is stored: {stored:?}")
    };
    assert_eq!(duplicate, InboundReceipt::Duplicate { conversation_id, message_id });
    let InboundReceipt::Stored { conversation_id: other_conversation, .. } = other_stored else {
        panic!("the other phone's message is stored: {other_stored:?}")
    };
    assert_ne!(other_conversation, conversation_id, "each phone has its conversation");
    assert_eq!(store.transcript(conversation_id).await.unwrap().len(), 1);
}

/// A webhook's wait for the inbox writer, queued but not answered yet.
type Queued = Pin<Box<dyn Future<Output = Result<Vec<InboundReceipt>, WriteError>> + Send>>;

/// Hands each message to the inbox writer as a request of its own, in order, and returns the
/// requests once all of them wait in its queue: the writer loop, started after, finds them
/// queued together.
fn queue_requests(writer: &InboxWriter, messages: &[NewInbound]) -> Vec<Queued> {
    let mut queued: Vec<Queued> = messages
        .iter()
        .map(|message| {
            let writer = writer.clone();
            let write = InboundWrite { message: message.clone(), push_name: None };
            // Outside Tokio's cooperative budget, which would leave every send past the 128th
            // waiting for a wake-up this poll never asks for, and unqueued.
            Box::pin(tokio::task::unconstrained(async move { writer.write(vec![write]).await })) as Queued
        })
        .collect();
    let mut cx = Context::from_waker(Waker::noop());
    for request in &mut queued {
        assert!(request.as_mut().poll(&mut cx).is_pending(), "no writer loop runs yet");
    }
    queued
}

/// Webhooks whose requests were grouped in one transaction must not fail together because
/// one of them holds a row the database refuses: each request is then written on its own.
async fn requests_grouped_in_a_failed_commit_are_each_written_alone(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let first = inbound(clinic.id, console(&clinic), "wamid.first", "oi", now);
    let orphan = NewInbound {
        phone: Phone::parse("+5511911110009").unwrap(),
        ..inbound(clinic.id, ChannelId::new_random(), "wamid.orphan", "oi", now)
    };
    let last = inbound(clinic.id, console(&clinic), "wamid.last", "tudo bem?", now);
    let (writer, commits) = InboxWriter::new(Arc::clone(&db.store));
    let [first_request, orphan_request, last_request]: [Queued; 3] =
        queue_requests(&writer, &[first.clone(), orphan, last.clone()]).try_into().ok().unwrap();
    tokio::spawn(async move { commits.run().await });

    let first_receipts = first_request.await.unwrap();
    assert!(
        matches!(first_receipts[..], [InboundReceipt::Stored { message_id, .. }] if message_id == first.id),
        "{first_receipts:?}"
    );
    assert!(matches!(orphan_request.await, Err(WriteError::Store(_))), "an unknown channel is refused");
    let last_receipts = last_request.await.unwrap();
    assert!(
        matches!(last_receipts[..], [InboundReceipt::Stored { message_id, .. }] if message_id == last.id),
        "{last_receipts:?}"
    );
}

/// On SQLite the inbox writer keeps the one writer connection from one batch to the next
/// while webhooks keep coming, but hands it back every few batches: a write waiting for it
/// meanwhile (here, the same provider id as the last queued webhook, recorded on its own) is
/// committed before that webhook, which then finds it delivered already.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_waiting_for_sqlites_writer_gets_it_between_inbox_batches() {
    let now = at(NOW);
    let db = TestDb::sqlite().await.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    // Enough one-message webhooks for many full batches: more than one hold of the writer.
    let messages: Vec<NewInbound> = (0..4000)
        .map(|n| inbound(clinic.id, console(&clinic), &format!("wamid.load{n}"), "oi", now))
        .chain([inbound(clinic.id, console(&clinic), "wamid.contested", "oi", now)])
        .collect();
    let (writer, commits) = InboxWriter::new(Arc::clone(&db.store));
    let mut queued = queue_requests(&writer, &messages);
    let contested = queued.pop().unwrap();
    tokio::spawn(async move { commits.run().await });
    let mut queued = queued.into_iter();
    // The first batch is committed: the writer loop holds the writer for the next ones.
    queued.next().unwrap().await.unwrap();

    let probe = inbound(clinic.id, console(&clinic), "wamid.contested", "oi", now);
    let waited = record(db.store.as_ref(), &probe).await;

    assert!(
        matches!(waited, InboundReceipt::Stored { message_id, .. } if message_id == probe.id),
        "the waiting write was not kept out until the queue emptied: {waited:?}"
    );
    for request in queued {
        request.await.unwrap();
    }
    let receipts = contested.await.unwrap();
    assert!(matches!(receipts[..], [InboundReceipt::Duplicate { message_id, .. }] if message_id == probe.id));
}

async fn twenty_concurrent_deliveries_store_one_message(db: TestDb) {
    let now = at(NOW);
    let db = Arc::new(db.with_demo(now).await);
    let clinic = demo_clinic().clinic;
    let deliveries = (0..20).map(|_| {
        let db = Arc::clone(&db);
        let message = inbound(clinic.id, console(&clinic), "wamid.burst", "oi", now);
        tokio::spawn(async move { record(db.store.as_ref(), &message).await })
    });
    let mut stored = 0;
    let mut conversation = None;
    for delivery in deliveries {
        match delivery.await.unwrap() {
            InboundReceipt::Stored { conversation_id, .. } => {
                stored += 1;
                conversation = Some(conversation_id);
            }
            InboundReceipt::Duplicate { .. } => {}
            echo @ InboundReceipt::Echo { .. } => panic!("no reply was sent: {echo:?}"),
        }
    }
    assert_eq!(stored, 1);
    assert_eq!(db.store.transcript(conversation.unwrap()).await.unwrap().len(), 1);
}

async fn pending_inbound_waits_until_processed(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let mut conversation = None;
    for (i, body) in ["oi", "tudo bem?", "queria marcar botox"].iter().enumerate() {
        let message =
            inbound(clinic.id, console(&clinic), &format!("m{i}"), body, now + Duration::seconds(i as i64));
        if let InboundReceipt::Stored { conversation_id, .. } = record(db.store.as_ref(), &message).await {
            conversation = Some(conversation_id);
        }
    }
    let conversation = conversation.unwrap();
    let pending = db.store.pending_inbound(conversation).await.unwrap();
    assert_eq!(
        pending.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["oi", "tudo bem?", "queria marcar botox"]
    );
    assert_eq!(
        db.store.conversations_waiting(Waiting::ForTurn, &[clinic.id], 10).await.unwrap(),
        vec![conversation]
    );
    let elsewhere = sofia_core::domain::ClinicId(uuid::Uuid::new_v4());
    assert!(
        db.store.conversations_waiting(Waiting::ForTurn, &[elsewhere], 10).await.unwrap().is_empty(),
        "a clinic the replica does not serve is not its sweep's"
    );
    let ids: Vec<_> = pending.iter().map(|m| m.id).collect();
    db.store.mark_processed(&ids, now).await.unwrap();
    assert!(db.store.pending_inbound(conversation).await.unwrap().is_empty());
    assert!(db.store.conversations_waiting(Waiting::ForTurn, &[clinic.id], 10).await.unwrap().is_empty());
}

async fn a_reply_is_queued_once_per_idempotency_key(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let conversation =
        db.store.conversation_for(clinic.id, &Phone::parse("+5511987654321").unwrap(), now).await.unwrap().id;
    let first = reply(clinic.id, conversation, "turn-1/0", "Olá!");
    assert_eq!(db.store.enqueue_outbound(&first).await.unwrap(), OutboxReceipt::Queued(first.id));
    let retry = reply(clinic.id, conversation, "turn-1/0", "Olá!");
    assert_eq!(db.store.enqueue_outbound(&retry).await.unwrap(), OutboxReceipt::AlreadyQueued(first.id));
    let second = reply(clinic.id, conversation, "turn-1/1", "Como posso ajudar?");
    db.store.enqueue_outbound(&second).await.unwrap();
    let pending = db.store.pending_outbound(conversation).await.unwrap();
    assert_eq!(pending.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["Olá!", "Como posso ajudar?"]);
    assert!(pending.iter().all(|m| m.delivery_status == Some(DeliveryStatus::Pending)));
    db.store.mark_sent(first.id, console(&clinic), "out-1", now).await.unwrap();
    let pending = db.store.pending_outbound(conversation).await.unwrap();
    assert_eq!(pending.iter().map(|m| m.id).collect::<Vec<_>>(), [second.id]);
}

async fn delivery_statuses_only_move_forward(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let channel = console(&clinic);
    let conversation =
        db.store.conversation_for(clinic.id, &Phone::parse("+5511987654321").unwrap(), now).await.unwrap().id;
    let message = reply(clinic.id, conversation, "turn-1/0", "Olá!");
    db.store.enqueue_outbound(&message).await.unwrap();
    db.store.mark_sent(message.id, channel, "wamid.out", now).await.unwrap();
    let status = |db: &TestDb| {
        let store = Arc::clone(&db.store);
        async move { store.transcript(conversation).await.unwrap()[0].delivery_status }
    };
    assert_eq!(status(&db).await, Some(DeliveryStatus::Sent));
    // Read arrives before delivered, as providers do.
    assert!(
        db.store.record_delivery_status(channel, "wamid.out", DeliveryStatus::Read, None, now).await.unwrap()
    );
    assert!(
        db.store
            .record_delivery_status(channel, "wamid.out", DeliveryStatus::Delivered, None, now)
            .await
            .unwrap()
    );
    assert_eq!(status(&db).await, Some(DeliveryStatus::Read));
    assert!(
        !db.store
            .record_delivery_status(channel, "wamid.unknown", DeliveryStatus::Read, None, now)
            .await
            .unwrap()
    );
}

async fn a_failed_send_is_recorded(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let conversation =
        db.store.conversation_for(clinic.id, &Phone::parse("+5511987654321").unwrap(), now).await.unwrap().id;
    let message = reply(clinic.id, conversation, "turn-1/0", "Olá!");
    db.store.enqueue_outbound(&message).await.unwrap();
    db.store.mark_send_failed(message.id, "recipient is not a WhatsApp user", now).await.unwrap();
    let stored = &db.store.transcript(conversation).await.unwrap()[0];
    assert_eq!(stored.delivery_status, Some(DeliveryStatus::Failed));
    assert_eq!(stored.error.as_deref(), Some("recipient is not a WhatsApp user"));
    assert!(db.store.pending_outbound(conversation).await.unwrap().is_empty());
}

/// On PostgreSQL, a group commit starts beside one in flight only with enough rows to be worth
/// a transaction: right after a commit was answered, the one or two requests that came
/// meanwhile would otherwise pay a statement and a WAL flush of their own. Here the commit in
/// flight waits on a row lock; the few requests queued behind it wait too, and go with the many
/// queued after them, in a transaction that commits while the first still waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_holds_a_few_requests_back_while_a_commit_is_in_flight() {
    use sqlx::Connection;

    let now = at(NOW);
    let db = TestDb::postgres().await.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let first = inbound(clinic.id, console(&clinic), "wamid.first", "oi", now);
    let InboundReceipt::Stored { conversation_id, .. } =
        record(db.store.as_ref(), &inbound(clinic.id, console(&clinic), "wamid.before", "oi", now)).await
    else {
        panic!("the first delivery is stored")
    };
    // Another transaction holds the first patient's conversation: a message for it waits.
    let mut holder = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut holder).await.unwrap();
    sqlx::query("SELECT id FROM conversations WHERE id = $1 FOR UPDATE")
        .bind(conversation_id.0)
        .execute(&mut holder)
        .await
        .unwrap();
    let holder_xid: String =
        sqlx::query_scalar("SELECT pg_current_xact_id()::text").fetch_one(&mut holder).await.unwrap();
    let (writer, commits) = InboxWriter::new(Arc::clone(&db.store));
    tokio::spawn(async move { commits.run().await });
    let in_flight = tokio::spawn({
        let writer = writer.clone();
        async move { writer.write(vec![InboundWrite { message: first, push_name: None }]).await }
    });
    let mut observer = sqlx::PgConnection::connect(&db.url).await.unwrap();
    wait_for_a_lock_wait(&mut observer, &holder_xid).await;

    let messages = |prefix: &str, phones: u32, count: u32| -> Vec<NewInbound> {
        (0..count)
            .map(|i| NewInbound {
                phone: Phone::parse(&format!("+55119{phones}{i:05}")).unwrap(),
                ..inbound(clinic.id, console(&clinic), &format!("{prefix}.{i}"), "oi", now)
            })
            .collect()
    };
    let few = queue_requests(&writer, &messages("wamid.few", 111, 3));
    // Time enough for the loop to start a transaction of their own, which it must not.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let many = queue_requests(&writer, &messages("wamid.many", 222, 64));
    for request in few {
        let receipts = tokio::time::timeout(std::time::Duration::from_secs(30), request)
            .await
            .expect("the few commit while the first still waits")
            .unwrap();
        assert!(matches!(receipts[..], [InboundReceipt::Stored { .. }]), "{receipts:?}");
    }
    let few_transactions: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT xmin::text FROM messages WHERE provider_message_id LIKE 'wamid.few.%'",
    )
    .fetch_all(&mut observer)
    .await
    .unwrap();
    let [few_transaction] = &few_transactions[..] else {
        panic!("the few are committed together: {few_transactions:?}")
    };
    // The loop may take the many while they are still being queued, so only some of them need
    // share the few's transaction.
    let many_with_them: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages WHERE provider_message_id LIKE 'wamid.many.%' AND xmin::text = $1",
    )
    .bind(few_transaction)
    .fetch_one(&mut observer)
    .await
    .unwrap();
    assert!(many_with_them > 0, "the few went with the many, not on their own");

    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    for request in many {
        let receipts = request.await.unwrap();
        assert!(matches!(receipts[..], [InboundReceipt::Stored { .. }]), "{receipts:?}");
    }
    let receipts = in_flight.await.unwrap().unwrap();
    assert!(matches!(receipts[..], [InboundReceipt::Stored { .. }]), "{receipts:?}");
}

/// Waits until a statement waits for the transaction `xid` to end.
async fn wait_for_a_lock_wait(observer: &mut sqlx::PgConnection, xid: &str) {
    for _ in 0..1000 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' \
             AND transactionid::text = $1 AND NOT granted",
        )
        .bind(xid)
        .fetch_one(&mut *observer)
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the first commit never reached the locked conversation");
}

/// On PostgreSQL a message's clinic is its conversation's (migration 0015): the database itself
/// refuses a row that names another clinic, whatever code writes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refuses_a_message_whose_clinic_is_not_its_conversations() {
    use sqlx::Connection;

    let now = at(NOW);
    let db = TestDb::postgres().await.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let InboundReceipt::Stored { conversation_id, .. } =
        record(db.store.as_ref(), &inbound(clinic.id, console(&clinic), "wamid.own", "oi", now)).await
    else {
        panic!("the first delivery is stored")
    };
    let mut connection = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let other = uuid::Uuid::now_v7();
    sqlx::query(
        "INSERT INTO clinics (id, slug, name, assistant_name, timezone, phone, address, booking, policies, \
         content_hash, created_at, updated_at) \
         SELECT $1, 'other-clinic', name, assistant_name, timezone, phone, address, booking, policies, \
         content_hash, created_at, updated_at FROM clinics WHERE id = $2",
    )
    .bind(other)
    .bind(clinic.id.0)
    .execute(&mut connection)
    .await
    .unwrap();

    let refused = sqlx::query(
        "INSERT INTO messages (id, clinic_id, conversation_id, direction, author, kind, body, payload, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, 'inbound', 'patient', 'text', 'oi', '{}', now(), now())",
    )
    .bind(uuid::Uuid::now_v7())
    .bind(other)
    .bind(conversation_id.0)
    .execute(&mut connection)
    .await
    .expect_err("a message of one clinic's conversation filed under another clinic");
    let constraint = refused.as_database_error().and_then(|error| error.constraint()).map(str::to_owned);
    assert_eq!(constraint.as_deref(), Some("messages_conversation_clinic_fkey"), "{refused}");
}

/// On SQLite, committed pages reach the database file beside the commits, not inside one: a
/// commit copies the WAL into the file itself only past a backstop far above what the schema
/// and the demo clinic write, so the file growing past its first pages shows the checkpointer
/// at work while the store stays open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlites_committed_pages_reach_the_database_file_beside_the_commits() {
    let db = TestDb::sqlite().await.with_demo(at(NOW)).await;
    let path = db.url.strip_prefix("sqlite://").expect("a SQLite test database URL").to_owned();
    let pages_in_file = || std::fs::metadata(&path).map_or(0, |file| file.len()) / 4096;
    let copied = async {
        while pages_in_file() < 16 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    // A generous bound: the checkpointer runs every 50 ms.
    tokio::time::timeout(std::time::Duration::from_secs(30), copied)
        .await
        .unwrap_or_else(|_| panic!("the database file still holds {} pages", pages_in_file()));
}
