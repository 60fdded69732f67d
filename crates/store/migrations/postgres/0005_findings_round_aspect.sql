-- The statistics count findings by aspect and status within a round from this index alone.
CREATE INDEX findings_round_aspect ON findings (round_id, aspect_id, status);
