SELECT source, stage, error_type, message FROM ingest_errors
WHERE $run_id IS NULL OR run_id = $run_id
ORDER BY source
