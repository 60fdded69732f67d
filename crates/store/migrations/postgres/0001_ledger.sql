-- The ledger. Each record keeps its JSON form in `body` (a finding's body holds its
-- evidence and status history, a measure's its progress, outcomes and extensions); the typed
-- columns beside it serve queries and are written in the same statement as the body.
CREATE TABLE chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX events_entity ON events (entity_id);

CREATE TABLE rounds (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE units (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE feedbacks (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    body TEXT NOT NULL
);
CREATE TABLE categories (id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL, body TEXT NOT NULL);
CREATE TABLE aspects (id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL, body TEXT NOT NULL);
-- live_due: the earliest due date among the finding's unfinished, non-long-term measures,
-- NULL once the finding is closed, long-term or transferred. Whether that date has passed
-- (overdue) is decided at query time.
CREATE TABLE findings (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL,
    body TEXT NOT NULL, status TEXT NOT NULL, requester TEXT, live_due TEXT
);
CREATE TABLE measures (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL,
    body TEXT NOT NULL, status TEXT NOT NULL, kind TEXT NOT NULL, effective_due TEXT, complete BIGINT NOT NULL
);
-- A typed copy of each measure's outcomes, for roll-ups.
CREATE TABLE outcomes (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL,
    type TEXT NOT NULL, kind TEXT, amount BIGINT NOT NULL
);

CREATE INDEX categories_feedback ON categories (feedback_id);
CREATE INDEX aspects_feedback ON aspects (feedback_id);
CREATE INDEX findings_feedback ON findings (feedback_id, status, live_due);
CREATE INDEX measures_feedback ON measures (feedback_id);
CREATE INDEX measures_parent ON measures (parent_id);
