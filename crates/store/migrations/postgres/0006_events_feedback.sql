-- A finding's history includes its feedback's own events (the plan's submission and
-- review). Without this index they were found by reading every event of the unit, which
-- grows with each day's work: 12 ms on a unit with 1,100 events instead of 0.1 ms.
CREATE INDEX events_feedback ON events (entity_id, seq) WHERE entity = 'feedback';
