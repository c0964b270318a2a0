SELECT p.paper_id[:12] AS paper, p.source, p.format, p.journal, p.year, left(p.title, 60) AS title,
       (SELECT count(*) FROM entities e WHERE e.paper_id = p.paper_id) AS entities,
       (SELECT count(*) FROM findings f WHERE f.paper_id = p.paper_id AND f.status = 'inconsistent') AS inconsistent
FROM papers p ORDER BY p.source, p.paper_id
