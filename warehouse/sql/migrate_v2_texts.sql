-- Version 1 -> 2: the texts of documents_v1 cut into chunks of $chunk_chars characters (one empty
-- chunk for an empty text, so its paper keeps its row). Runs before migrate_v2_after drops the table.
INSERT INTO document_chunks
SELECT paper_id, i AS chunk, substr(text, i * $chunk_chars + 1, $chunk_chars) AS text
FROM (
    SELECT paper_id, text, unnest(range(greatest(1, (length(text) + $chunk_chars - 1) // $chunk_chars))) AS i
    FROM documents_v1
)
