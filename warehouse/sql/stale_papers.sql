-- Papers to replace: the incoming ids themselves, and older papers read from the same source files
-- (the file changed, so its sha256 and paper_id changed too).
SELECT paper_id FROM papers
WHERE paper_id IN (SELECT paper_id FROM staged_papers)
   OR source IN (SELECT source FROM staged_papers)
