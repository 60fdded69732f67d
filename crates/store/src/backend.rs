//! The SQL both backends run, written once. sqlx has no generic connection type that is
//! pleasant to write against, so this macro stamps the same code out for each database;
//! the statements use `$n` placeholders, which SQLite and PostgreSQL both accept.

macro_rules! sql_backend {
    ($db:ty, $conn:ty, $name:literal, $snapshot_sql:literal) => {
        use std::collections::{HashMap, HashSet};

        use async_trait::async_trait;
        use futures_util::TryStreamExt;
        use sqlx::{Pool, QueryBuilder, Row, Transaction};
        use zhenggai_core::event::{ChainChecker, Event, NewEvent};
        use zhenggai_core::rules::{self, FindingFacts};
        use zhenggai_core::stats::{completion_rate, OutcomeTotals, UnitStats};
        use zhenggai_core::validate;
        use zhenggai_core::*;

        use crate::rows::{self, Rows, Table, TreeRow, Val};
        use crate::{Change, ImportSummary, ImportTx, Store, VerifyReport};

        /// Rows buffered before an import writes them, bounding its memory.
        const FLUSH_ROWS: usize = 20_000;
        /// Bound parameters per statement, under SQLite's and PostgreSQL's limits.
        const MAX_PARAMS: usize = 30_000;

        pub struct Backend {
            pub(crate) pool: Pool<$db>,
        }

        fn now() -> String {
            chrono::Utc::now()
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string()
        }

        async fn insert_rows(conn: &mut $conn, table: Table, rows: Vec<Vec<Val>>) -> Result<()> {
            let per_statement = (MAX_PARAMS / table.columns.len()).max(1);
            let mut rows = rows.into_iter().peekable();
            while rows.peek().is_some() {
                let chunk: Vec<Vec<Val>> = rows.by_ref().take(per_statement).collect();
                let mut qb: QueryBuilder<$db> = QueryBuilder::new(format!(
                    "INSERT INTO {} ({}) ",
                    table.name,
                    table.columns.join(", ")
                ));
                qb.push_values(chunk, |mut b, row| {
                    for v in row {
                        match v {
                            Val::Text(s) => b.push_bind(s),
                            Val::Int(i) => b.push_bind(i),
                            Val::Null => b.push_bind(None::<String>),
                        };
                    }
                });
                qb.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        /// Locks the chain head for this transaction and returns it.
        async fn lock_head(conn: &mut $conn) -> Result<(i64, String)> {
            let row = sqlx::query("UPDATE chain_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *conn)
                .await?;
            Ok((row.try_get("seq")?, row.try_get("hash")?))
        }

        async fn set_head(conn: &mut $conn, head: &(i64, String)) -> Result<()> {
            sqlx::query("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(head.0)
                .bind(&head.1)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        fn link(head: &mut (i64, String), new: &NewEvent, at: &str) -> Vec<Val> {
            let e = Event::link(new, head.0 + 1, at.to_string(), &head.1);
            *head = (e.seq, e.hash.clone());
            vec![
                Val::Int(e.seq),
                e.at.into(),
                e.actor.into(),
                e.entity.into(),
                e.entity_id.into(),
                e.action.into(),
                e.payload.into(),
                e.prev_hash.into(),
                e.hash.into(),
            ]
        }

        /// The event payload of a status change: the command and the edge it took.
        #[derive(serde::Serialize)]
        struct StatusChange<'a> {
            #[serde(flatten)]
            change: &'a Change,
            from: FindingStatus,
            to: FindingStatus,
        }

        /// The event payload of an imported finding: where it hangs, what it is, and the
        /// digest of the rows that hold its content (see `rows::finding_digests`).
        #[derive(serde::Serialize)]
        struct ImportedFinding<'a> {
            id: &'a str,
            aspect_id: &'a str,
            title: &'a str,
            status: FindingStatus,
            measures: usize,
            evidence: usize,
            sha256: &'a str,
        }

        async fn tree_rows(conn: &mut $conn, table: Table, feedback_id: &str) -> Result<Vec<TreeRow>> {
            let sql = format!(
                "SELECT parent_id, pos, body FROM {} WHERE feedback_id = $1",
                table.name
            );
            let rows = sqlx::query(&sql).bind(feedback_id).fetch_all(&mut *conn).await?;
            rows.iter()
                .map(|r| Ok((r.try_get("parent_id")?, r.try_get("pos")?, r.try_get("body")?)))
                .collect()
        }

        async fn load_feedback(conn: &mut $conn, id: &str) -> Result<Option<Feedback>> {
            let head: Option<String> = sqlx::query_scalar("SELECT body FROM feedbacks WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            let Some(head) = head else { return Ok(None) };
            let mut tables = HashMap::new();
            for t in rows::TREE_TABLES {
                tables.insert(t.name, tree_rows(conn, t, id).await?);
            }
            Ok(Some(rows::assemble(&head, tables)?))
        }

        async fn body_of(conn: &mut $conn, table: &str, id: &str) -> Result<Option<String>> {
            let sql = format!("SELECT body FROM {table} WHERE id = $1");
            Ok(sqlx::query_scalar(&sql).bind(id).fetch_optional(&mut *conn).await?)
        }

        async fn existing_ids(conn: &mut $conn, table: &str, ids: &[&str]) -> Result<Vec<String>> {
            let mut found = Vec::new();
            for chunk in ids.chunks(MAX_PARAMS) {
                let mut qb: QueryBuilder<$db> =
                    QueryBuilder::new(format!("SELECT id FROM {table} WHERE id IN ("));
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(id.to_string());
                }
                qb.push(")");
                let rows: Vec<String> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
                found.extend(rows);
            }
            Ok(found)
        }

        /// A finding's feedback id, pending requester and stored form (without measures).
        async fn finding_row(conn: &mut $conn, id: &str) -> Result<(String, Option<String>, Finding)> {
            let row = sqlx::query("SELECT feedback_id, requester, body FROM findings WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| StoreError::NotFound { what: "问题", id: id.to_string() })?;
            let body: String = row.try_get("body")?;
            let finding: Finding = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("finding {id}: {e}")))?;
            Ok((row.try_get("feedback_id")?, row.try_get("requester")?, finding))
        }

        async fn measure_row(conn: &mut $conn, id: &str) -> Result<(String, String, Measure)> {
            let row = sqlx::query("SELECT feedback_id, parent_id, body FROM measures WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| StoreError::NotFound { what: "整改措施", id: id.to_string() })?;
            let body: String = row.try_get("body")?;
            let m: Measure = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("measure {id}: {e}")))?;
            Ok((row.try_get("feedback_id")?, row.try_get("parent_id")?, m))
        }

        fn body<T: serde::Serialize>(v: &T) -> String {
            serde_json::to_string(v).unwrap_or_default()
        }

        async fn write_measure(conn: &mut $conn, m: &Measure) -> Result<()> {
            sqlx::query("UPDATE measures SET body = $1, status = $2, effective_due = $3, complete = $4 WHERE id = $5")
                .bind(body(m))
                .bind(m.status.as_str())
                .bind(m.effective_due().map(|d| d.to_string()))
                .bind(i64::from(m.is_complete()))
                .bind(&m.id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Recomputes the finding's earliest open due date after its measures or status changed.
        async fn refresh_live_due(conn: &mut $conn, finding_id: &str) -> Result<()> {
            sqlx::query(
                "UPDATE findings SET live_due = CASE WHEN status IN ('closed', 'long_term', 'transferred') THEN NULL \
                 ELSE (SELECT MIN(effective_due) FROM measures \
                       WHERE parent_id = $1 AND status <> 'done' AND kind <> 'long_term') END \
                 WHERE id = $1",
            )
            .bind(finding_id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        fn require_unit_role(actor: &Actor, action: &str) -> Result<()> {
            if rules::may_edit_unit_work(actor.role) {
                Ok(())
            } else {
                Err(StoreError::Rule(CoreError::Forbidden {
                    role: actor.role.as_str().to_string(),
                    action: action.to_string(),
                }))
            }
        }

        /// Applies one change inside `conn`'s transaction and returns its event.
        async fn apply_change(conn: &mut $conn, actor: &Actor, date: Date, change: &Change) -> Result<NewEvent> {
            match change {
                Change::Finding { finding_id, command, reason, evidence } => {
                    let (_, requester, mut finding) = finding_row(conn, finding_id).await?;
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(complete), 0) AS BIGINT) AS c FROM measures WHERE parent_id = $1",
                    )
                    .bind(finding_id)
                    .fetch_one(&mut *conn)
                    .await?;
                    let (total, complete): (i64, i64) = (row.try_get("n")?, row.try_get("c")?);
                    let facts = FindingFacts {
                        status: finding.status,
                        requester: requester.clone(),
                        measures_complete: total == complete,
                        evidence_count: finding.evidence.len(),
                    };
                    let to = rules::decide(&facts, *command, actor)?;
                    if let Some(missing) = evidence.iter().find(|id| !finding.evidence.iter().any(|e| &e.id == *id)) {
                        return Err(StoreError::NotFound { what: "佐证材料", id: missing.clone() });
                    }
                    let from = finding.status;
                    finding.transitions.push(Transition {
                        date,
                        actor: actor.name.clone(),
                        role: actor.role,
                        command: *command,
                        from,
                        to,
                        reason: reason.clone(),
                        evidence: evidence.clone(),
                    });
                    finding.status = to;
                    if *command == FindingCommandKind::Transfer {
                        finding.lead = Some(Lead { transferred_on: date, to_body: "纪检监察机关".into(), note: reason.clone() });
                    }
                    sqlx::query("UPDATE findings SET status = $1, requester = $2, body = $3 WHERE id = $4")
                        .bind(to.as_str())
                        .bind(rules::requester_after(*command, actor, requester))
                        .bind(body(&rows::finding_head(&finding)))
                        .bind(finding_id)
                        .execute(&mut *conn)
                        .await?;
                    refresh_live_due(conn, finding_id).await?;
                    let payload = StatusChange { change, from, to };
                    Ok(NewEvent::new(&actor.name, "finding", finding_id, command.as_str(), &payload))
                }
                Change::AddProgress { measure_id, update } => {
                    require_unit_role(actor, "填报整改进展")?;
                    let (_, _, mut m) = measure_row(conn, measure_id).await?;
                    if m.progress.iter().any(|p| p.id == update.id) {
                        return Err(StoreError::Conflict { path: "progress.id".into(), message: format!("进展“{}”已存在", update.id) });
                    }
                    m.progress.push(update.clone());
                    write_measure(conn, &m).await?;
                    Ok(NewEvent::new(&actor.name, "progress", &update.id, "add", change))
                }
                Change::SetMeasureStatus { measure_id, status, long_term_reason } => {
                    require_unit_role(actor, "更新措施状态")?;
                    let (_, finding_id, mut m) = measure_row(conn, measure_id).await?;
                    m.status = *status;
                    if long_term_reason.is_some() {
                        m.long_term_reason = long_term_reason.clone();
                    }
                    write_measure(conn, &m).await?;
                    refresh_live_due(conn, &finding_id).await?;
                    Ok(NewEvent::new(&actor.name, "measure", measure_id, "set_status", change))
                }
                Change::AttachEvidence { finding_id, evidence } => {
                    require_unit_role(actor, "上传佐证材料")?;
                    let (_, _, mut finding) = finding_row(conn, finding_id).await?;
                    if finding.evidence.iter().any(|e| e.id == evidence.id) {
                        return Err(StoreError::Conflict { path: "evidence.id".into(), message: format!("佐证材料“{}”已存在", evidence.id) });
                    }
                    finding.evidence.push(evidence.clone());
                    sqlx::query("UPDATE findings SET body = $1 WHERE id = $2")
                        .bind(body(&rows::finding_head(&finding)))
                        .bind(finding_id)
                        .execute(&mut *conn)
                        .await?;
                    Ok(NewEvent::new(&actor.name, "evidence", &evidence.id, "attach", change))
                }
                Change::RequestExtension { measure_id, extension_id, new_due, reason } => {
                    require_unit_role(actor, "申请延期")?;
                    let (_, _, mut m) = measure_row(conn, measure_id).await?;
                    if m.extensions.iter().any(|x| &x.id == extension_id) {
                        return Err(StoreError::Conflict { path: "extension.id".into(), message: format!("延期申请“{extension_id}”已存在") });
                    }
                    if m.extensions.iter().any(|x| x.decision == ExtensionDecision::Requested) {
                        return Err(StoreError::Rule(CoreError::Invalid("该措施已有待审批的延期申请".into())));
                    }
                    m.extensions.push(Extension {
                        id: extension_id.clone(),
                        requested_on: date,
                        requested_by: actor.name.clone(),
                        new_due: *new_due,
                        reason: reason.clone(),
                        decision: ExtensionDecision::Requested,
                        decided_by: None,
                        decided_on: None,
                    });
                    write_measure(conn, &m).await?;
                    Ok(NewEvent::new(&actor.name, "extension", extension_id, "request", change))
                }
                Change::DecideExtension { measure_id, extension_id, approve } => {
                    if !rules::may_decide_extension(actor.role) {
                        return Err(StoreError::Rule(CoreError::Forbidden {
                            role: actor.role.as_str().to_string(),
                            action: "审批延期".to_string(),
                        }));
                    }
                    let (_, finding_id, mut m) = measure_row(conn, measure_id).await?;
                    let x = m
                        .extensions
                        .iter_mut()
                        .find(|x| &x.id == extension_id)
                        .ok_or_else(|| StoreError::NotFound { what: "延期申请", id: extension_id.clone() })?;
                    if x.decision != ExtensionDecision::Requested {
                        return Err(StoreError::Rule(CoreError::Invalid("该延期申请已审批过".into())));
                    }
                    x.decision = if *approve { ExtensionDecision::Approved } else { ExtensionDecision::Refused };
                    x.decided_by = Some(actor.name.clone());
                    x.decided_on = Some(date);
                    write_measure(conn, &m).await?;
                    refresh_live_due(conn, &finding_id).await?;
                    let action = if *approve { "approve" } else { "refuse" };
                    Ok(NewEvent::new(&actor.name, "extension", extension_id, action, change))
                }
                Change::AddOutcome { measure_id, outcome } => {
                    require_unit_role(actor, "登记整改成效")?;
                    let (fb, _, mut m) = measure_row(conn, measure_id).await?;
                    let pos = m.outcomes.len();
                    m.outcomes.push(outcome.clone());
                    write_measure(conn, &m).await?;
                    insert_rows(conn, rows::OUTCOMES, vec![rows::outcome_row(&fb, measure_id, pos, outcome)]).await?;
                    Ok(NewEvent::new(&actor.name, "outcome", measure_id, "add", change))
                }
            }
        }

        pub struct Import {
            tx: Transaction<'static, $db>,
            actor: String,
            /// One time for every event of the import: it is one transaction.
            at: String,
            head: (i64, String),
            pending: Vec<(Table, Vec<Vec<Val>>)>,
            pending_rows: usize,
            /// Hashes of every (table, id) this import wrote. A hit may be a true duplicate
            /// or a hash collision, and is settled by asking the database.
            seen: HashSet<u64>,
            /// When the import started on an empty ledger, only ids it wrote itself can clash.
            was_empty: bool,
            rounds: HashSet<String>,
            units: HashSet<String>,
            summary: ImportSummary,
        }

        impl Import {
            fn queue(&mut self, table: Table, row: Vec<Val>) {
                if let Some(Val::Text(id)) = row.first() {
                    if table != rows::EVENTS {
                        self.seen.insert(id_hash(table.name, id));
                    }
                }
                match self.pending.iter_mut().find(|(t, _)| *t == table) {
                    Some((_, rows)) => rows.push(row),
                    None => self.pending.push((table, vec![row])),
                }
                self.pending_rows += 1;
            }

            fn event<T: serde::Serialize + ?Sized>(&mut self, entity: &str, id: &str, payload: &T) {
                let new = NewEvent::new(&self.actor, entity, id, "import", payload);
                let row = link(&mut self.head, &new, &self.at);
                self.summary.events += 1;
                self.queue(rows::EVENTS, row);
            }

            /// Writes the buffer in the order tables were first queued, parents first.
            async fn flush(&mut self) -> Result<()> {
                for (table, rows) in std::mem::take(&mut self.pending) {
                    insert_rows(&mut *self.tx, table, rows).await?;
                }
                self.pending_rows = 0;
                Ok(())
            }

            async fn maybe_flush(&mut self) -> Result<()> {
                if self.pending_rows >= FLUSH_ROWS {
                    self.flush().await?;
                }
                Ok(())
            }

            /// Equal to what is stored: leave it. Different: refuse.
            async fn same_as_stored<T: serde::de::DeserializeOwned + PartialEq>(
                &mut self,
                table: &str,
                path: &str,
                id: &str,
                incoming: &T,
            ) -> Result<()> {
                self.flush().await?;
                let stored = body_of(&mut *self.tx, table, id).await?;
                let stored: Option<T> = stored.and_then(|b| serde_json::from_str(&b).ok());
                if stored.as_ref() == Some(incoming) {
                    self.summary.unchanged += 1;
                    Ok(())
                } else {
                    Err(StoreError::Conflict {
                        path: format!("{path}.id"),
                        message: format!("标识“{id}”已存在且内容不同，未导入任何内容"),
                    })
                }
            }
        }

        fn id_hash(table: &str, id: &str) -> u64 {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (table, id).hash(&mut h);
            h.finish()
        }

        fn path_of(f: &Feedback, path: &str, id: &str) -> String {
            for (ci, c) in f.categories.iter().enumerate() {
                let cp = format!("{path}.categories[{ci}]");
                if c.id == id { return cp; }
                for (ai, a) in c.aspects.iter().enumerate() {
                    let ap = format!("{cp}.aspects[{ai}]");
                    if a.id == id { return ap; }
                    for (fi, finding) in a.findings.iter().enumerate() {
                        let fp = format!("{ap}.findings[{fi}]");
                        if finding.id == id || id.starts_with(&format!("{}#", finding.id)) { return fp; }
                        for (ei, e) in finding.evidence.iter().enumerate() {
                            if e.id == id { return format!("{fp}.evidence[{ei}]"); }
                        }
                        for (mi, m) in finding.measures.iter().enumerate() {
                            let mp = format!("{fp}.measures[{mi}]");
                            if m.id == id || id.starts_with(&format!("{}#", m.id)) { return mp; }
                            for (pi, p) in m.progress.iter().enumerate() {
                                if p.id == id { return format!("{mp}.progress[{pi}]"); }
                            }
                            for (xi, x) in m.extensions.iter().enumerate() {
                                if x.id == id { return format!("{mp}.extensions[{xi}]"); }
                            }
                        }
                    }
                }
            }
            path.to_string()
        }

        #[async_trait]
        impl ImportTx for Import {
            async fn put_round(&mut self, path: &str, round: &Round) -> Result<()> {
                validate::round(path, round)?;
                if self.rounds.contains(&round.id) {
                    return self.same_as_stored("rounds", path, &round.id, round).await;
                }
                self.rounds.insert(round.id.clone());
                self.queue(rows::ROUNDS, rows::round_row(round));
                self.event("round", &round.id, round);
                self.summary.rounds += 1;
                Ok(())
            }

            async fn put_unit(&mut self, path: &str, unit: &Unit) -> Result<()> {
                validate::unit(path, unit)?;
                if self.units.contains(&unit.id) {
                    return self.same_as_stored("units", path, &unit.id, unit).await;
                }
                self.units.insert(unit.id.clone());
                self.queue(rows::UNITS, rows::unit_row(unit));
                self.event("unit", &unit.id, unit);
                self.summary.units += 1;
                Ok(())
            }

            async fn put_feedback(&mut self, path: &str, f: &Feedback) -> Result<()> {
                validate::feedback(path, f, |r| self.rounds.contains(r), |u| self.units.contains(u))?;
                let may_exist = !self.was_empty || self.seen.contains(&id_hash("feedbacks", &f.id));
                if may_exist {
                    self.flush().await?;
                    if let Some(stored) = load_feedback(&mut *self.tx, &f.id).await? {
                        if &stored == f {
                            self.summary.unchanged += 1;
                            return Ok(());
                        }
                        return Err(StoreError::Conflict {
                            path: format!("{path}.id"),
                            message: format!("反馈“{}”已存在且内容不同，未导入任何内容", f.id),
                        });
                    }
                }
                let rows = rows::feedback_rows(f);
                for (table, ids) in &rows::ids_by_table(&rows) {
                    let suspects: Vec<&str> = if self.was_empty {
                        ids.iter().copied().filter(|id| self.seen.contains(&id_hash(table, id))).collect()
                    } else {
                        ids.clone()
                    };
                    if suspects.is_empty() {
                        continue;
                    }
                    self.flush().await?;
                    if let Some(id) = existing_ids(&mut *self.tx, table, &suspects).await?.into_iter().next() {
                        return Err(StoreError::Conflict {
                            path: format!("{}.id", path_of(f, path, &id)),
                            message: format!("标识“{id}”已被其他记录使用，未导入任何内容"),
                        });
                    }
                }
                self.queue_feedback(f, rows);
                self.maybe_flush().await
            }

            async fn put_source(&mut self, sha256: &str, file: &str, feedback_id: &str) -> Result<()> {
                let seen: Option<String> = sqlx::query_scalar("SELECT imported_at FROM notice_sources WHERE sha256 = $1")
                    .bind(sha256)
                    .fetch_optional(&mut *self.tx)
                    .await?;
                if let Some(at) = seen {
                    return Err(StoreError::Conflict {
                        path: file.to_string(),
                        message: format!("这份通报（sha256 {}…）已于 {} 导入过，不再重复导入", &sha256[..sha256.len().min(12)], &at[..at.len().min(10)]),
                    });
                }
                #[derive(serde::Serialize)]
                struct Source<'a> {
                    sha256: &'a str,
                    file: &'a str,
                    feedback_id: &'a str,
                }
                self.queue(rows::NOTICE_SOURCES, vec![sha256.into(), file.into(), feedback_id.into(), self.at.clone().into()]);
                self.event("notice_source", sha256, &Source { sha256, file, feedback_id });
                Ok(())
            }

            async fn commit(mut self: Box<Self>) -> Result<ImportSummary> {
                self.flush().await?;
                let head = self.head.clone();
                set_head(&mut *self.tx, &head).await?;
                let summary = std::mem::take(&mut self.summary);
                self.tx.commit().await?;
                Ok(summary)
            }
        }

        impl Import {
            fn queue_feedback(&mut self, f: &Feedback, rows: Rows) {
                let digests = rows::finding_digests(&rows);
                let mut digests = digests.iter();
                for (table, row) in rows {
                    self.queue(table, row);
                }
                self.event("feedback", &f.id, &rows::feedback_head(f));
                for c in &f.categories {
                    self.event("category", &c.id, &serde_json::json!({"id": c.id, "title": c.title}));
                    for a in &c.aspects {
                        self.event("aspect", &a.id, &serde_json::json!({"id": a.id, "title": a.title, "category_id": c.id}));
                        for finding in &a.findings {
                            let payload = ImportedFinding {
                                id: &finding.id,
                                aspect_id: &a.id,
                                title: &finding.title,
                                status: finding.status,
                                measures: finding.measures.len(),
                                evidence: finding.evidence.len(),
                                sha256: digests.next().map_or("", String::as_str),
                            };
                            self.event("finding", &finding.id, &payload);
                            self.summary.findings += 1;
                            self.summary.measures += finding.measures.len() as u64;
                        }
                    }
                }
                self.summary.feedbacks += 1;
            }
        }

        #[async_trait]
        impl Store for Backend {
            fn backend(&self) -> &'static str {
                $name
            }

            async fn is_empty(&self) -> Result<bool> {
                let n: i64 = sqlx::query_scalar("SELECT seq FROM chain_head WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n == 0)
            }

            async fn begin_import(&self, actor: &str) -> Result<Box<dyn ImportTx>> {
                let mut tx = self.pool.begin().await?;
                let head = lock_head(&mut *tx).await?;
                let was_empty = head.0 == 0;
                let rounds: Vec<String> = sqlx::query_scalar("SELECT id FROM rounds").fetch_all(&mut *tx).await?;
                let units: Vec<String> = sqlx::query_scalar("SELECT id FROM units").fetch_all(&mut *tx).await?;
                Ok(Box::new(Import {
                    tx,
                    actor: actor.to_string(),
                    at: now(),
                    head,
                    pending: Vec::new(),
                    pending_rows: 0,
                    seen: HashSet::new(),
                    was_empty,
                    rounds: rounds.into_iter().collect(),
                    units: units.into_iter().collect(),
                    summary: ImportSummary::default(),
                }))
            }

            async fn rounds(&self) -> Result<Vec<Round>> {
                let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM rounds ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?;
                bodies
                    .iter()
                    .map(|b| serde_json::from_str(b).map_err(|e| StoreError::Corrupt(format!("round: {e}"))))
                    .collect()
            }

            async fn units(&self) -> Result<Vec<Unit>> {
                let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM units ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?;
                bodies
                    .iter()
                    .map(|b| serde_json::from_str(b).map_err(|e| StoreError::Corrupt(format!("unit: {e}"))))
                    .collect()
            }

            async fn feedback_ids(&self) -> Result<Vec<Id>> {
                Ok(sqlx::query_scalar("SELECT id FROM feedbacks ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn feedback(&self, id: &str) -> Result<Feedback> {
                let mut conn = self.pool.acquire().await?;
                load_feedback(&mut *conn, id)
                    .await?
                    .ok_or_else(|| StoreError::NotFound { what: "反馈", id: id.to_string() })
            }

            async fn apply(&self, actor: &Actor, date: Date, change: Change) -> Result<()> {
                let mut tx = self.pool.begin().await?;
                let mut head = lock_head(&mut *tx).await?;
                let event = apply_change(&mut *tx, actor, date, &change).await?;
                let row = link(&mut head, &event, &now());
                insert_rows(&mut *tx, rows::EVENTS, vec![row]).await?;
                set_head(&mut *tx, &head).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn stats(&self, today: Date) -> Result<Vec<UnitStats>> {
                let mut conn = self.pool.acquire().await?;
                let heads = sqlx::query(
                    "SELECT f.id, f.round_id, r.name AS round, f.unit_id, u.name AS unit \
                     FROM feedbacks f JOIN rounds r ON r.id = f.round_id JOIN units u ON u.id = f.unit_id",
                )
                .fetch_all(&mut *conn)
                .await?;
                let mut out: Vec<UnitStats> = Vec::new();
                let mut slot_of_pair: HashMap<(String, String), usize> = HashMap::new();
                let mut slot: HashMap<String, usize> = HashMap::new();
                for h in &heads {
                    let key: (String, String) = (h.try_get("round_id")?, h.try_get("unit_id")?);
                    let i = match slot_of_pair.get(&key) {
                        Some(i) => *i,
                        None => {
                            out.push(UnitStats {
                                round_id: key.0.clone(),
                                round: h.try_get("round")?,
                                unit_id: key.1.clone(),
                                unit: h.try_get("unit")?,
                                findings: 0,
                                by_status: Default::default(),
                                overdue: 0,
                                warnings: Default::default(),
                                completion_rate: 0.0,
                                outcomes: OutcomeTotals::default(),
                            });
                            slot_of_pair.insert(key, out.len() - 1);
                            out.len() - 1
                        }
                    };
                    slot.insert(h.try_get("id")?, i);
                }
                let counts = sqlx::query(
                    "SELECT feedback_id, status, COUNT(*) AS n, \
                     CAST(SUM(CASE WHEN live_due < $1 THEN 1 ELSE 0 END) AS BIGINT) AS overdue \
                     FROM findings GROUP BY feedback_id, status",
                )
                .bind(today.to_string())
                .fetch_all(&mut *conn)
                .await?;
                let mut tallies: Vec<(String, String, i64, i64)> = Vec::with_capacity(counts.len());
                for r in &counts {
                    tallies.push((r.try_get("feedback_id")?, r.try_get("status")?, r.try_get("n")?, r.try_get("overdue")?));
                }
                let outcomes = sqlx::query(
                    "SELECT feedback_id, type, kind, CAST(SUM(amount) AS BIGINT) AS total FROM outcomes GROUP BY feedback_id, type, kind",
                )
                .fetch_all(&mut *conn)
                .await?;
                for (fb, status, n, overdue) in tallies {
                    if let (Some(s), Some(st)) = (slot.get(&fb).and_then(|i| out.get_mut(*i)), FindingStatus::parse(&status)) {
                        *s.by_status.entry(st).or_default() += n;
                        s.findings += n;
                        s.overdue += overdue;
                    }
                }
                for r in &outcomes {
                    let fb: String = r.try_get("feedback_id")?;
                    let ty: String = r.try_get("type")?;
                    let kind: Option<String> = r.try_get("kind")?;
                    let total: i64 = r.try_get("total")?;
                    if let Some(s) = slot.get(&fb).and_then(|i| out.get_mut(*i)) {
                        let o = &mut s.outcomes;
                        match (ty.as_str(), kind) {
                            ("money", Some(k)) => *o.money_fen.entry(k).or_default() += total,
                            ("rule", Some(k)) => *o.rules.entry(k).or_default() += total,
                            ("accountability", _) => o.accountability_people += total,
                            ("meeting", _) => o.meetings += total,
                            ("quantity", _) => o.quantities += total,
                            _ => {}
                        }
                    }
                }
                // Yellow and green: each round under its own policy.
                let rounds: Vec<String> = sqlx::query_scalar("SELECT body FROM rounds").fetch_all(&mut *conn).await?;
                for body in rounds {
                    let round: Round = serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(format!("round: {e}")))?;
                    let (yellow_until, green_until) = round.policy.warning_window(today);
                    let rows = sqlx::query(
                        "SELECT f.feedback_id, \
                         CAST(SUM(CASE WHEN f.live_due <= $2 THEN 1 ELSE 0 END) AS BIGINT) AS yellow, \
                         CAST(SUM(CASE WHEN f.live_due > $2 THEN 1 ELSE 0 END) AS BIGINT) AS green \
                         FROM findings f JOIN feedbacks fb ON fb.id = f.feedback_id \
                         WHERE fb.round_id = $3 AND f.live_due >= $1 AND f.live_due <= $4 \
                         GROUP BY f.feedback_id",
                    )
                    .bind(today.to_string())
                    .bind(yellow_until.to_string())
                    .bind(&round.id)
                    .bind(green_until.to_string())
                    .fetch_all(&mut *conn)
                    .await?;
                    for r in &rows {
                        let fb: String = r.try_get("feedback_id")?;
                        if let Some(s) = slot.get(&fb).and_then(|i| out.get_mut(*i)) {
                            s.warnings.yellow += r.try_get::<i64, _>("yellow")?;
                            s.warnings.green += r.try_get::<i64, _>("green")?;
                        }
                    }
                }
                for s in &mut out {
                    s.completion_rate = completion_rate(&s.by_status);
                    s.warnings.red = s.overdue;
                }
                out.sort_by(|a, b| (&a.round_id, &a.unit_id).cmp(&(&b.round_id, &b.unit_id)));
                Ok(out)
            }

            async fn event_count(&self) -> Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM events").fetch_one(&self.pool).await?)
            }

            async fn verify(&self) -> Result<VerifyReport> {
                let mut tx = self.pool.begin().await?;
                sqlx::query($snapshot_sql).execute(&mut *tx).await?;
                let mut checker = ChainChecker::default();
                let mut broken = None;
                {
                    let mut stream = sqlx::query(
                        "SELECT seq, at, actor, entity, entity_id, action, payload, prev_hash, hash FROM events ORDER BY seq",
                    )
                    .fetch(&mut *tx);
                    while let Some(r) = stream.try_next().await? {
                        let e = Event {
                            seq: r.try_get("seq")?,
                            at: r.try_get("at")?,
                            actor: r.try_get("actor")?,
                            entity: r.try_get("entity")?,
                            entity_id: r.try_get("entity_id")?,
                            action: r.try_get("action")?,
                            payload: r.try_get("payload")?,
                            prev_hash: r.try_get("prev_hash")?,
                            hash: r.try_get("hash")?,
                        };
                        if let Err(b) = checker.check(&e) {
                            broken = Some((e.seq, b.zh()));
                            break;
                        }
                    }
                }
                if broken.is_none() {
                    let row = sqlx::query("SELECT seq, hash FROM chain_head WHERE id = 1").fetch_one(&mut *tx).await?;
                    let (seq, hash): (i64, String) = (row.try_get("seq")?, row.try_get("hash")?);
                    let (last, last_hash) = checker.head();
                    if seq > last {
                        broken = Some((last + 1, "事件缺失：链头记录的事件已被删除".to_string()));
                    } else if seq < last {
                        broken = Some((seq + 1, "链头之后多出事件：事件是绕过账本写入的".to_string()));
                    } else if hash != last_hash {
                        broken = Some((seq, "链头哈希与最后一个事件不符".to_string()));
                    }
                }
                tx.rollback().await?;
                Ok(VerifyReport { checked: checker.checked, broken })
            }

            async fn close(&self) {
                self.pool.close().await;
            }
        }
    };
}

pub(crate) use sql_backend;
