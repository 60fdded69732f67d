-- Published notices imported into the ledger, by the sha256 of the file, so that the same
-- file is never imported twice.
CREATE TABLE notice_sources (
    sha256 TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    feedback_id TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
