-- A file that now ingests, or fails again, loses its previous error row.
DELETE FROM ingest_errors WHERE source IN (SELECT source FROM staged_sources)
