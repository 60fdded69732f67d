-- When each finding was done: signed off (closed) or made long-term, on the date of the
-- transition that did it. Derived from the finding like its other rows and vouched for
-- by the same events; it lets the statistics count closures month by month without
-- reading every finding's history. Ledgers written before this table have no rows for
-- findings closed before it; they appear when such a finding next changes.
CREATE TABLE closures (
    id TEXT PRIMARY KEY,
    feedback_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    closed_on TEXT NOT NULL
);
CREATE INDEX closures_round ON closures (round_id, closed_on);
