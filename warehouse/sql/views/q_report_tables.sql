SELECT t.paper_id, t.table_idx, t.label, t.caption, t.footnotes, c."row", c.col, c.header, c.text
FROM tables t LEFT JOIN table_cells c USING (paper_id, table_idx)
ORDER BY t.paper_id, t.table_idx, c."row", c.col
