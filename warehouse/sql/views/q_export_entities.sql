-- One row per entity with its provenance: paper, source, section or table cell, offsets, verbatim span.
SELECT p.source, p.title, p.journal, p.year, p.doi, p.pmid, e.* EXCLUDE (record),
       CAST(e.record AS VARCHAR) AS record
FROM entities e JOIN papers p USING (paper_id)
ORDER BY p.source, e.paper_id, e.entity_idx
