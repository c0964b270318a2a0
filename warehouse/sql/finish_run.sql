UPDATE ingest_runs
SET finished_at = $finished_at, n_papers = $n_papers, n_skipped = $n_skipped, n_errors = $n_errors,
    seconds = $seconds, status = $status
WHERE run_id = $run_id
