//! Appointment and package statements shared by both adapters. Each adapter adds the overlap
//! guarantee its engine can give (see `sqlite.rs` and `postgres.rs`) around these.

macro_rules! appointment_queries {
    () => {
        use sofia_core::domain::AppointmentId;

        async fn insert_row(
            tx: &mut sqlx::Transaction<'_, Backend>,
            new: &NewAppointment,
            now: DateTime<Utc>,
        ) -> Result<AppointmentRow, sqlx::Error> {
            sqlx::query_as(concat!(
                "INSERT INTO appointments (id, clinic_id, patient_id, professional_id, service_id, \
                 patient_package_id, starts_at, ends_at, status, booked_by, price_cents, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING ",
                rows::appointment_columns!()
            ))
            .bind(new.id.0)
            .bind(new.clinic_id.0)
            .bind(new.patient_id.0)
            .bind(new.professional_id.0)
            .bind(new.service_id.0)
            .bind(new.patient_package_id.map(|p| p.0))
            .bind(new.starts_at)
            .bind(new.ends_at)
            .bind(new.status.as_str())
            .bind(new.booked_by.as_str())
            .bind(new.price.centavos())
            .bind(now)
            .fetch_one(&mut **tx)
            .await
        }

        /// Applies a change inside the caller's transaction, after the caller has made sure
        /// a rescheduled time is free.
        async fn apply_change(
            tx: &mut sqlx::Transaction<'_, Backend>,
            clinic: ClinicId,
            patient: Option<PatientId>,
            id: AppointmentId,
            change: &AppointmentChange,
            now: DateTime<Utc>,
        ) -> StoreResult<Appointment> {
            let current: Appointment = sqlx::query_as::<_, AppointmentRow>(concat!(
                "SELECT ",
                rows::appointment_columns!(),
                " FROM appointments WHERE clinic_id = $1 AND id = $2 AND ($3 IS NULL OR patient_id = $3)"
            ))
            .bind(clinic.0)
            .bind(id.0)
            .bind(patient.map(|p| p.0))
            .fetch_optional(&mut **tx)
            .await
            .map_err(StoreError::db("read an appointment"))?
            .ok_or(StoreError::NotFound("appointment"))?
            .try_into()?;
            rows::check_transition(current.status, change)?;
            let update = match change {
                AppointmentChange::Confirm => sqlx::query(
                    "UPDATE appointments SET status = 'confirmed', updated_at = $2 WHERE id = $1",
                )
                .bind(id.0)
                .bind(now),
                AppointmentChange::Cancel { reason, late_fee, .. } => sqlx::query(
                    "UPDATE appointments SET status = 'cancelled', cancellation_reason = $2, late_fee_cents = $3, \
                     cancelled_at = $4, updated_at = $4 WHERE id = $1",
                )
                .bind(id.0)
                .bind(reason)
                .bind(late_fee.map(|f| f.centavos()))
                .bind(now),
                AppointmentChange::Reschedule { professional_id, starts_at, ends_at, late_fee, .. } => sqlx::query(
                    "UPDATE appointments SET professional_id = $2, starts_at = $3, ends_at = $4, \
                     status = 'scheduled', late_fee_cents = COALESCE($5, late_fee_cents), updated_at = $6 WHERE id = $1",
                )
                .bind(id.0)
                .bind(professional_id.0)
                .bind(*starts_at)
                .bind(*ends_at)
                .bind(late_fee.map(|f| f.centavos()))
                .bind(now),
                AppointmentChange::Complete => {
                    sqlx::query("UPDATE appointments SET status = 'completed', updated_at = $2 WHERE id = $1")
                        .bind(id.0)
                        .bind(now)
                }
                AppointmentChange::NoShow => {
                    sqlx::query("UPDATE appointments SET status = 'no_show', updated_at = $2 WHERE id = $1")
                        .bind(id.0)
                        .bind(now)
                }
            };
            update.execute(&mut **tx).await.map_err(|e| slot_error(e, "change an appointment"))?;
            let consumes_session = match change {
                AppointmentChange::Cancel { consume_package_session, .. }
                | AppointmentChange::Reschedule { consume_package_session, .. } => *consume_package_session,
                AppointmentChange::Complete | AppointmentChange::NoShow => true,
                _ => false,
            };
            if let (true, Some(package)) = (consumes_session, current.patient_package_id) {
                let used = sqlx::query(
                    "UPDATE patient_packages SET sessions_used = sessions_used + 1, updated_at = $2 \
                     WHERE id = $1 AND sessions_used < sessions_total",
                )
                .bind(package.0)
                .bind(now)
                .execute(&mut **tx)
                .await
                .map_err(StoreError::db("use a package session"))?;
                if used.rows_affected() == 0 {
                    return Err(StoreError::PackageExhausted);
                }
            }
            sqlx::query_as::<_, AppointmentRow>(concat!(
                "SELECT ",
                rows::appointment_columns!(),
                " FROM appointments WHERE id = $1"
            ))
            .bind(id.0)
            .fetch_one(&mut **tx)
            .await
            .map_err(StoreError::db("read a changed appointment"))?
            .try_into()
        }

        async fn find(
            pool: &sqlx::Pool<Backend>,
            clinic: ClinicId,
            patient: Option<PatientId>,
            id: AppointmentId,
        ) -> StoreResult<Option<Appointment>> {
            let row: Option<AppointmentRow> = sqlx::query_as(concat!(
                "SELECT ",
                rows::appointment_columns!(),
                " FROM appointments WHERE clinic_id = $1 AND id = $2 AND ($3 IS NULL OR patient_id = $3)"
            ))
            .bind(clinic.0)
            .bind(id.0)
            .bind(patient.map(|p| p.0))
            .fetch_optional(pool)
            .await
            .map_err(StoreError::db("read an appointment"))?;
            row.map(TryInto::try_into).transpose()
        }

        async fn of_patient(
            pool: &sqlx::Pool<Backend>,
            clinic: ClinicId,
            patient: PatientId,
            from: DateTime<Utc>,
        ) -> StoreResult<Vec<Appointment>> {
            let rows: Vec<AppointmentRow> = sqlx::query_as(concat!(
                "SELECT ",
                rows::appointment_columns!(),
                " FROM appointments WHERE clinic_id = $1 AND patient_id = $2 AND starts_at >= $3 \
                 ORDER BY starts_at, id"
            ))
            .bind(clinic.0)
            .bind(patient.0)
            .bind(from)
            .fetch_all(pool)
            .await
            .map_err(StoreError::db("list a patient's appointments"))?;
            rows.into_iter().map(TryInto::try_into).collect()
        }

        async fn busy(
            pool: &sqlx::Pool<Backend>,
            clinic: ClinicId,
            from: DateTime<Utc>,
            to: DateTime<Utc>,
        ) -> StoreResult<Vec<BusyInterval>> {
            let rows: Vec<BusyRow> = sqlx::query_as(
                "SELECT id, professional_id, starts_at, ends_at FROM appointments \
                 WHERE clinic_id = $1 AND status IN ('scheduled', 'confirmed') AND starts_at < $3 AND ends_at > $2 \
                 ORDER BY professional_id, starts_at",
            )
            .bind(clinic.0)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
            .map_err(StoreError::db("read busy times"))?;
            Ok(rows.into_iter().map(Into::into).collect())
        }

        async fn add_package(
            pool: &sqlx::Pool<Backend>,
            new: &NewPatientPackage,
            now: DateTime<Utc>,
        ) -> StoreResult<PatientPackage> {
            let row: PatientPackageRow = sqlx::query_as(concat!(
                "INSERT INTO patient_packages (id, clinic_id, patient_id, package_id, sessions_total, sessions_used, \
                 purchased_on, expires_on, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ",
                rows::patient_package_columns!()
            ))
            .bind(new.id.0)
            .bind(new.clinic_id.0)
            .bind(new.patient_id.0)
            .bind(new.package_id.0)
            .bind(i32::try_from(new.sessions_total).unwrap_or(i32::MAX))
            .bind(i32::try_from(new.sessions_used).unwrap_or(i32::MAX))
            .bind(new.purchased_on)
            .bind(new.expires_on)
            .bind(now)
            .fetch_one(pool)
            .await
            .map_err(StoreError::db("add a package"))?;
            row.try_into()
        }

        async fn packages_of(
            pool: &sqlx::Pool<Backend>,
            clinic: ClinicId,
            patient: PatientId,
        ) -> StoreResult<Vec<PatientPackage>> {
            let rows: Vec<PatientPackageRow> = sqlx::query_as(concat!(
                "SELECT ",
                rows::patient_package_columns!(),
                " FROM patient_packages WHERE clinic_id = $1 AND patient_id = $2 ORDER BY purchased_on, id"
            ))
            .bind(clinic.0)
            .bind(patient.0)
            .fetch_all(pool)
            .await
            .map_err(StoreError::db("list a patient's packages"))?;
            rows.into_iter().map(TryInto::try_into).collect()
        }
    };
}

pub(crate) use appointment_queries;
