SELECT status, count(*) AS n
FROM findings
WHERE len($paper_ids::VARCHAR[]) = 0 OR paper_id IN (SELECT unnest($paper_ids::VARCHAR[]))
GROUP BY status ORDER BY status
