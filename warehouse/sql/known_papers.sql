SELECT paper_id, sha256, source, pipeline FROM papers
