-- The ledger. Each record keeps its full JSON form in `body`; the typed columns beside it
-- exist for queries (status, due dates, roll-ups) and are written in the same statement.
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
CREATE TABLE findings (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL,
    status TEXT NOT NULL, requester TEXT, body TEXT NOT NULL
);
CREATE TABLE measures (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL,
    status TEXT NOT NULL, kind TEXT NOT NULL, effective_due TEXT, complete BIGINT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE progress (id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL, body TEXT NOT NULL);
CREATE TABLE evidence (id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL, body TEXT NOT NULL);
CREATE TABLE extensions (id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL, body TEXT NOT NULL);
CREATE TABLE outcomes (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL,
    type TEXT NOT NULL, kind TEXT, amount BIGINT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE transitions (
    id TEXT PRIMARY KEY, feedback_id TEXT NOT NULL, parent_id TEXT NOT NULL, pos BIGINT NOT NULL, body TEXT NOT NULL
);

CREATE INDEX categories_feedback ON categories (feedback_id);
CREATE INDEX aspects_feedback ON aspects (feedback_id);
CREATE INDEX findings_feedback ON findings (feedback_id);
CREATE INDEX measures_feedback ON measures (feedback_id);
CREATE INDEX measures_parent ON measures (parent_id);
CREATE INDEX progress_feedback ON progress (feedback_id);
CREATE INDEX evidence_feedback ON evidence (feedback_id);
CREATE INDEX evidence_parent ON evidence (parent_id);
CREATE INDEX extensions_feedback ON extensions (feedback_id);
CREATE INDEX outcomes_feedback ON outcomes (feedback_id);
CREATE INDEX transitions_feedback ON transitions (feedback_id);
