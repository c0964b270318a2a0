-- A file that now ingests, or fails again, loses its previous error rows (also those of its records).
DELETE FROM ingest_errors
WHERE source IN (SELECT source FROM staged_sources)
   OR regexp_replace(source, '#record-error-[0-9]+$', '') IN (SELECT source FROM staged_sources)
