-- People who sign in. Users and API tokens are written with events like the ledger;
-- sessions are not ledger data and change on every request, so they are not.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    units TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
-- Only the sha256 of a token is kept (as the id): the token itself is shown once.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
-- The sha256 of the session cookie is the id, so a copy of the table opens no session.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
