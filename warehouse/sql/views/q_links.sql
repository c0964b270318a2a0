-- Linked papers with the paper that stands for their study.
SELECT l.study_id, s.source AS study_source, l.paper_id, p.source, p.format, l.method, l.score, l.reason
FROM study_links l
JOIN papers p ON p.paper_id = l.paper_id
JOIN papers s ON s.paper_id = l.study_id
WHERE l.paper_id <> l.study_id
ORDER BY s.source, p.source
