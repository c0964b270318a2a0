INSERT INTO ingest_runs (run_id, started_at, n_files, status) VALUES ($run_id, $started_at, $n_files, 'running')
