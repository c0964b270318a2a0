-- Remove every row of the papers in staged_replace(paper_id), so a changed or re-processed paper is
-- replaced whole inside the load transaction.
DELETE FROM document_chunks WHERE paper_id IN (SELECT paper_id FROM staged_replace);
DELETE FROM sections    WHERE paper_id IN (SELECT paper_id FROM staged_replace);
DELETE FROM tables      WHERE paper_id IN (SELECT paper_id FROM staged_replace);
DELETE FROM table_cells WHERE paper_id IN (SELECT paper_id FROM staged_replace);
DELETE FROM entities    WHERE paper_id IN (SELECT paper_id FROM staged_replace);
DELETE FROM findings    WHERE paper_id IN (SELECT paper_id FROM staged_replace);
DELETE FROM repairs     WHERE paper_id IN (SELECT paper_id FROM staged_replace);
DELETE FROM papers      WHERE paper_id IN (SELECT paper_id FROM staged_replace);
