-- Findings of one paper (by paper id prefix or source path substring), or of all papers.
SELECT p.source, f."check", f.status, f.severity, f.message, f.evidence, d.text AS paper_text, f.uncertain
FROM findings f
JOIN papers p USING (paper_id)
JOIN documents d USING (paper_id)
WHERE $paper IS NULL OR f.paper_id LIKE $paper || '%' OR p.source LIKE '%' || $paper || '%'
ORDER BY p.source,
         CASE f.status WHEN 'inconsistent' THEN 0 WHEN 'unverifiable' THEN 1 ELSE 2 END,
         CASE f.severity WHEN 'major' THEN 0 WHEN 'minor' THEN 1 ELSE 2 END,
         f.finding_idx
