-- A feedback's tree is read with its measures by feedback_id (every export, the Excel
-- ledger of a round reads each unit's): without this index each read scanned every
-- measure of the ledger, 18 ms a feedback at 500 units.
CREATE INDEX measures_feedback ON measures (feedback_id);
