-- Tables the review side writes (re-applying is a no-op).
-- study_links: papers that report one study (a PDF and its PubMed record); written by the duplicate
-- linker, read by `outcomes` so a study is pooled once.
CREATE TABLE IF NOT EXISTS study_links (
    paper_id VARCHAR PRIMARY KEY,
    study_id VARCHAR NOT NULL,          -- the paper_id that stands for the study
    method   VARCHAR NOT NULL,          -- doi, pmid, fuzzy
    score    DOUBLE,
    reason   VARCHAR
);

-- pooled_results: every pooled estimate a reviewer asked for (`evidence pool`), REML and PM included,
-- computed by pooling/ in Python and stored here so it can be queried with SQL.
CREATE TABLE IF NOT EXISTS pooled_results (
    outcome     VARCHAR NOT NULL,
    agent       VARCHAR,                -- filter, or NULL
    by_col      VARCHAR NOT NULL,       -- grouping: none, agent, dose_band, design
    grp         VARCHAR NOT NULL,
    transform   VARCHAR NOT NULL,
    method      VARCHAR NOT NULL,
    level       DOUBLE NOT NULL,
    k           INTEGER NOT NULL,
    events      INTEGER,
    total       INTEGER,
    estimate    DOUBLE,
    ci_lb       DOUBLE,
    ci_ub       DOUBLE,
    pi_lb       DOUBLE,
    pi_ub       DOUBLE,
    estimate_t  DOUBLE,
    se          DOUBLE,
    tau2        DOUBLE,
    i2          DOUBLE,
    h2          DOUBLE,
    q           DOUBLE,
    q_df        INTEGER,
    q_p         DOUBLE,
    studies     JSON,                   -- [{study_id, paper_id, label, events, total, weight, ...}]
    warnings    VARCHAR[],
    computed_at TIMESTAMP DEFAULT current_timestamp
);
