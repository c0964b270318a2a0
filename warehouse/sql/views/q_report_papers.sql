SELECT p.paper_id, p.source, p.format, p.title, p.journal, p.year, p.volume, p.pages, p.doi, p.pmid,
       p.n_chars, d.text
FROM papers p JOIN documents d USING (paper_id)
ORDER BY p.source, p.paper_id
