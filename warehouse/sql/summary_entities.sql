-- Entities per kind over the given papers (all papers when the list is empty).
SELECT kind, count(*) AS n
FROM entities
WHERE len($paper_ids::VARCHAR[]) = 0 OR paper_id IN (SELECT unnest($paper_ids::VARCHAR[]))
GROUP BY kind ORDER BY kind
