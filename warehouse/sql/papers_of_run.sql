SELECT paper_id FROM papers WHERE run_id = $run_id
