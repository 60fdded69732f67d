-- When each finding was done: signed off (closed) or made long-term, on the date of the
-- transition that did it. Derived from the finding like its other rows and vouched for
-- by the same events; it lets the statistics count closures month by month without
-- reading every finding's history. A ledger written before this table gets its rows
-- here, from each done finding's last transition into its status, as `verify` expects.
CREATE TABLE closures (
    id TEXT PRIMARY KEY,
    feedback_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    closed_on TEXT NOT NULL
);
CREATE INDEX closures_round ON closures (round_id, closed_on);

INSERT INTO closures (id, feedback_id, round_id, unit_id, closed_on)
SELECT id, feedback_id, round_id, unit_id, closed_on FROM (
    SELECT f.id, f.feedback_id, f.round_id, f.unit_id,
        (SELECT t.value ->> 'date'
         FROM jsonb_array_elements(f.body::jsonb -> 'transitions') WITH ORDINALITY AS t(value, i)
         WHERE t.value ->> 'to' = f.status ORDER BY t.i DESC LIMIT 1) AS closed_on
    FROM findings f WHERE f.status IN ('closed', 'long_term')
) AS done WHERE closed_on IS NOT NULL;
