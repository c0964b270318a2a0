-- The warehouse's schema version (run only once schema_migrations exists; see has_table).
SELECT max(version) FROM schema_migrations
