-- The ledger. Every row of every table below except chain_head and blobs is written
-- together with the event that records the hash of its content (events.states), so that
-- `verify` proves the stored state is the one the events describe. Nested records that are
-- only read with their parent (evidence, status history, plan history, progress, outcomes,
-- extensions) live in the parent's JSON `body`; the typed columns beside it are what pages
-- filter and sort on.
CREATE TABLE chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    round_id TEXT,
    unit_id TEXT,
    finding_id TEXT,
    states TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX events_finding ON events (finding_id, seq) WHERE finding_id IS NOT NULL;
CREATE INDEX events_unit ON events (unit_id, seq) WHERE unit_id IS NOT NULL;
CREATE INDEX events_round ON events (round_id, seq) WHERE round_id IS NOT NULL;
CREATE INDEX events_actor ON events (actor_id, seq);

CREATE TABLE rounds (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE units (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE feedbacks (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    plan_status TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX feedbacks_unit ON feedbacks (unit_id);
CREATE INDEX feedbacks_round ON feedbacks (round_id);
CREATE TABLE categories (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, pos INTEGER NOT NULL, title TEXT NOT NULL
);
CREATE INDEX categories_feedback ON categories (feedback_id);
CREATE TABLE aspects (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, category_id TEXT NOT NULL, pos INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX aspects_feedback ON aspects (feedback_id);
-- ord: the sequence number of the event that created the finding, a stable order for
-- keyset paging that follows the order of the notice. live_due: the finding's earliest
-- open due date (core's Finding::live_due); overdue and warnings compare it with today.
-- returned: its last closure request was returned (the unit has something to mend).
CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    ord INTEGER NOT NULL,
    feedback_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    aspect_id TEXT NOT NULL,
    pos INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    requester_id TEXT,
    live_due TEXT,
    returned INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE UNIQUE INDEX findings_ord ON findings (ord);
CREATE INDEX findings_feedback ON findings (feedback_id, status, live_due);
CREATE INDEX findings_unit ON findings (unit_id, ord);
CREATE INDEX findings_round ON findings (round_id, ord);
CREATE INDEX findings_round_status ON findings (round_id, status, ord);
CREATE INDEX findings_due ON findings (live_due) WHERE live_due IS NOT NULL;
CREATE TABLE measures (
    id TEXT PRIMARY KEY,
    feedback_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    pos INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    lead TEXT NOT NULL,
    department TEXT NOT NULL,
    owner TEXT NOT NULL,
    due TEXT,
    effective_due TEXT,
    complete INTEGER NOT NULL,
    pending_extension INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX measures_finding ON measures (finding_id, pos);
CREATE INDEX measures_owner ON measures (unit_id, owner);
-- A typed copy of each measure's outcomes, for roll-ups.
CREATE TABLE outcomes (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, measure_id TEXT NOT NULL, pos INTEGER NOT NULL,
    type TEXT NOT NULL, kind TEXT, amount INTEGER NOT NULL
);
CREATE INDEX outcomes_feedback ON outcomes (feedback_id);
CREATE INDEX outcomes_measure ON outcomes (measure_id);
-- Published notices imported into the ledger, by the sha256 of the file (id) and of its
-- decoded, normalised text, so that the same notice is never imported twice.
CREATE TABLE notice_sources (
    id TEXT PRIMARY KEY,
    text_sha256 TEXT NOT NULL,
    file TEXT NOT NULL,
    feedback_id TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE UNIQUE INDEX notice_sources_text ON notice_sources (text_sha256);
-- Evidence files by the sha256 of their bytes, each stored once however often attached.
-- A blob is checked against its own name, so it needs no event.
CREATE TABLE blobs (id TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);
