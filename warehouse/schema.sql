-- evidence warehouse, schema version 2.
-- Load memory must not grow with the warehouse, and two things in version 1 made it grow (a load's
-- commit and checkpoint went from +50 to +300 MB between 1,300 and 4,000 papers):
--   * keys on the per-paper tables: DuckDB rewrites a key's ART index at each commit and checkpoint.
--     Only `papers` keeps its key; a paper's rows elsewhere are replaced whole in the load's one
--     transaction, so (paper_id, idx) stays unique by construction.
--   * whole texts in one column: a checkpoint rewrites the last, partly filled 2,048-row segment,
--     which for full texts meant up to 2,048 papers' text (~200 MB). Texts are stored in chunks of
--     a few thousand characters (`document_chunks`); the `documents` view puts them back together.
-- warehouse/sql/migrate_v2_*.sql move a version 1 file over.
-- Every extracted row carries paper_id plus start/end offsets into documents.text and the verbatim span,
-- so a pooled number can be followed back to its sentence or table cell.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS papers (
    paper_id      VARCHAR PRIMARY KEY,   -- sha256 of the file's bytes (":k" for record k of a multi-record file)
    sha256        VARCHAR NOT NULL,      -- sha256 of the file the paper came from
    source        VARCHAR NOT NULL,      -- path as given to ingest
    format        VARCHAR NOT NULL,
    title         VARCHAR,
    journal       VARCHAR,
    year          INTEGER,
    volume        VARCHAR,
    pages         VARCHAR,
    pmid          VARCHAR,
    doi           VARCHAR,
    n_chars       INTEGER,
    pipeline      VARCHAR NOT NULL,      -- version + settings hash that produced the rows
    run_id        VARCHAR,
    ingested_at   TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS document_chunks (
    paper_id VARCHAR NOT NULL,
    chunk    INTEGER NOT NULL,           -- 0, 1, ...: the text's consecutive pieces
    text     VARCHAR NOT NULL
);

-- The text exactly as read; all offsets index it.
CREATE VIEW IF NOT EXISTS documents AS
SELECT paper_id, string_agg(text, '' ORDER BY chunk) AS text
FROM document_chunks
GROUP BY paper_id;

CREATE TABLE IF NOT EXISTS sections (
    paper_id VARCHAR NOT NULL,
    idx      INTEGER NOT NULL,
    name     VARCHAR NOT NULL,
    heading  VARCHAR,
    part     VARCHAR,
    "start"  INTEGER NOT NULL,
    "end"    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS tables (
    paper_id  VARCHAR NOT NULL,
    table_idx INTEGER NOT NULL,
    label     VARCHAR NOT NULL,
    caption   VARCHAR,
    footnotes VARCHAR[],
    n_header_rows INTEGER,
    n_rows    INTEGER,
    "start"   INTEGER,
    "end"     INTEGER,
    page      INTEGER
);

CREATE TABLE IF NOT EXISTS table_cells (
    paper_id  VARCHAR NOT NULL,
    table_idx INTEGER NOT NULL,
    "row"     INTEGER NOT NULL,          -- header rows first
    col       INTEGER NOT NULL,
    header    BOOLEAN NOT NULL,
    text      VARCHAR NOT NULL,          -- glyphs repaired, white space collapsed
    "start"   INTEGER,
    "end"     INTEGER
);

-- One table for all entity kinds: the common provenance columns, then the kind-specific ones
-- (NULL where a kind has no such field). One wide table keeps pooling queries free of UNIONs and
-- lets a reviewer list everything a sentence yielded in one SELECT; `record` keeps the full JSON.
CREATE TABLE IF NOT EXISTS entities (
    paper_id     VARCHAR NOT NULL,
    entity_idx   INTEGER NOT NULL,
    kind         VARCHAR NOT NULL,
    section      VARCHAR,
    "start"      INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    span         VARCHAR NOT NULL,       -- verbatim text[start:end]
    table_label  VARCHAR,
    cell_row     INTEGER,
    cell_col     INTEGER,
    cited        BOOLEAN NOT NULL,
    uncertain    BOOLEAN NOT NULL,
    label        VARCHAR,                -- cohort
    n            INTEGER,                -- cohort, summary_stat
    n_high       INTEGER,
    agent        VARCHAR,                -- dose, mtd
    value        DOUBLE,                 -- dose, mtd, p_value, statistic
    value_high   DOUBLE,
    unit         VARCHAR,
    norm_value   DOUBLE,
    norm_value_high DOUBLE,
    norm_unit    VARCHAR,
    route        VARCHAR,
    schedule     VARCHAR,
    diagnostic   BOOLEAN,
    outcome      VARCHAR,                -- response_rate
    numerator    INTEGER,
    denominator  INTEGER,
    percent      DOUBLE,                 -- response_rate, toxicity
    event        VARCHAR,                -- toxicity
    grade        VARCHAR,
    count        INTEGER,
    "group"      VARCHAR,                -- toxicity, summary_stat
    operator     VARCHAR,                -- p_value
    comparison   VARCHAR,
    test         VARCHAR,                -- statistic
    ci_low       DOUBLE,
    ci_high      DOUBLE,
    variable     VARCHAR,                -- summary_stat
    mean         DOUBLE,
    sd           DOUBLE,
    record       JSON NOT NULL
);

CREATE TABLE IF NOT EXISTS findings (
    paper_id    VARCHAR NOT NULL,
    finding_idx INTEGER NOT NULL,
    "check"     VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,        -- consistent / inconsistent / unverifiable
    severity    VARCHAR NOT NULL,
    message     VARCHAR NOT NULL,
    expected    JSON,
    reported    JSON,
    evidence    JSON NOT NULL,           -- [{start, end}] into documents.text
    uncertain   BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS repairs (
    paper_id   VARCHAR NOT NULL,
    "offset"   INTEGER NOT NULL,
    before     VARCHAR NOT NULL,
    after      VARCHAR NOT NULL,
    rule       VARCHAR NOT NULL,
    confidence DOUBLE NOT NULL,
    uncertain  BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id      VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    n_files     INTEGER,
    n_papers    INTEGER,                 -- papers written by this run
    n_skipped   INTEGER,                 -- unchanged papers found in the warehouse
    n_errors    INTEGER,
    seconds     DOUBLE,
    status      VARCHAR
);

-- One row per failing file (and stage): re-running replaces it, a later success removes it.
CREATE TABLE IF NOT EXISTS ingest_errors (
    source     VARCHAR NOT NULL,
    sha256     VARCHAR,
    stage      VARCHAR NOT NULL,
    error_type VARCHAR NOT NULL,
    message    VARCHAR NOT NULL,
    run_id     VARCHAR,
    failed_at  TIMESTAMP DEFAULT current_timestamp,
    PRIMARY KEY (source)
);

INSERT INTO schema_migrations (version, name) VALUES (1, 'schema.sql') ON CONFLICT DO NOTHING;
INSERT INTO schema_migrations (version, name) VALUES (2, 'keys on papers only') ON CONFLICT DO NOTHING;
