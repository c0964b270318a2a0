-- Audit checks that failed on an entity: an inconsistent finding whose evidence span overlaps it.
CREATE OR REPLACE VIEW entity_flags AS
WITH spans AS (
    SELECT f.paper_id, f."check", f.severity,
           unnest(from_json(f.evidence, '[{"start": "INTEGER", "end": "INTEGER"}]')) AS ev
    FROM findings f
    WHERE f.status = 'inconsistent'
)
SELECT e.paper_id, e.entity_idx,
       list_sort(list_distinct(list(s."check"))) AS checks,
       bool_or(s.severity = 'major') AS major
FROM entities e
JOIN spans s ON s.paper_id = e.paper_id AND s.ev."start" < e."end" AND s.ev."end" > e."start"
GROUP BY e.paper_id, e.entity_idx
