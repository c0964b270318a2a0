-- What duplicate linking compares: identifiers, title (or the opening of the text when a reader found
-- none), year, and the first numbers the paper reports (cohort sizes, events, totals) in text order.
SELECT p.paper_id, p.source, p.format, p.title, p.year, p.doi, p.pmid,
       left(d.text, 400) AS opening,
       coalesce((SELECT list(coalesce(e.n, e.numerator, e.denominator) ORDER BY e."start")
                 FROM entities e
                 WHERE e.paper_id = p.paper_id AND NOT e.cited
                   AND e.kind IN ('cohort', 'response_rate')
                   AND coalesce(e.n, e.numerator, e.denominator) IS NOT NULL), []) AS numbers
FROM papers p JOIN documents d USING (paper_id)
ORDER BY p.paper_id
