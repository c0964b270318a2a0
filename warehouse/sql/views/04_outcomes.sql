-- One row per paper x arm x outcome (response rates; toxicity events by grade), with events, N,
-- percent, the paper's main agent and its dose (normalized), the study it belongs to (duplicates
-- linked by study_links), audit flags, and the provenance of each number.
CREATE OR REPLACE VIEW outcomes AS
WITH cohort AS (  -- the largest enrolled N a paper reports: a toxicity denominator when none is printed
    SELECT paper_id, max(n) AS n FROM entities WHERE kind = 'cohort' AND NOT cited GROUP BY paper_id
),
agent_mentions AS (  -- a paper's main agent: its most often dosed non-diagnostic agent
    SELECT paper_id, agent, count(*) AS mentions, min(entity_idx) AS first_idx
    FROM doses_normalized
    WHERE NOT diagnostic AND NOT cited AND agent IS NOT NULL
    GROUP BY paper_id, agent
),
main_agent AS (
    SELECT paper_id, agent FROM (
        SELECT *, row_number() OVER (PARTITION BY paper_id ORDER BY mentions DESC, first_idx) AS rn
        FROM agent_mentions) WHERE rn = 1
),
main_dose AS (  -- that agent's first dose in the paper
    SELECT * FROM (
        SELECT d.*, row_number() OVER (PARTITION BY d.paper_id ORDER BY d.entity_idx) AS rn
        FROM doses_normalized d JOIN main_agent a ON a.paper_id = d.paper_id AND a.agent = d.agent
        WHERE NOT d.diagnostic AND NOT d.cited) WHERE rn = 1
),
raw AS (
    SELECT e.paper_id, e.entity_idx, 'response_rate' AS outcome_kind,
           coalesce(nullif(lower(trim(e.outcome)), ''), 'response') AS outcome,
           coalesce(e.record ->> 'group', 'all') AS arm,
           e.numerator AS events,
           coalesce(e.denominator,
                    CASE WHEN e.percent > 0 AND e.numerator IS NOT NULL
                         THEN CAST(round(e.numerator * 100.0 / e.percent) AS INTEGER) END) AS total,
           CASE WHEN e.denominator IS NOT NULL THEN 'reported'
                WHEN e.percent > 0 AND e.numerator IS NOT NULL THEN 'from percent' END AS total_source,
           e.percent, e.section, e."start", e."end", e.span, e.table_label, e.cell_row, e.cell_col
    FROM entities e WHERE e.kind = 'response_rate' AND NOT e.cited
    UNION ALL
    SELECT e.paper_id, e.entity_idx, 'toxicity' AS outcome_kind,
           lower(coalesce(nullif(trim(e.event), ''), 'adverse event'))
               || coalesce(' grade ' || nullif(trim(e.grade), ''), '') AS outcome,
           coalesce(nullif(trim(e."group"), ''), 'all') AS arm,
           coalesce(e.count, CASE WHEN e.percent IS NOT NULL AND c.n IS NOT NULL
                                  THEN CAST(round(e.percent * c.n / 100.0) AS INTEGER) END) AS events,
           coalesce(CASE WHEN e.percent > 0 AND e.count IS NOT NULL
                         THEN CAST(round(e.count * 100.0 / e.percent) AS INTEGER) END, c.n) AS total,
           CASE WHEN e.percent > 0 AND e.count IS NOT NULL THEN 'from percent'
                WHEN c.n IS NOT NULL THEN 'cohort' END AS total_source,
           e.percent, e.section, e."start", e."end", e.span, e.table_label, e.cell_row, e.cell_col
    FROM entities e LEFT JOIN cohort c USING (paper_id)
    WHERE e.kind = 'toxicity' AND NOT e.cited
),
ranked AS (  -- one row per paper x arm x outcome: the first complete mention, counting the others
    SELECT r.*,
           r.events IS NOT NULL AND r.total > 0 AND r.events BETWEEN 0 AND r.total AS poolable,
           count(*) OVER w AS mentions,
           coalesce(bool_or(r.section = 'abstract') OVER w, false) AS in_abstract,
           row_number() OVER (w ORDER BY (r.events IS NOT NULL AND r.total > 0 AND r.events <= r.total) DESC,
                                        (r.total_source = 'reported') DESC, r.entity_idx) AS rn
    FROM raw r
    WINDOW w AS (PARTITION BY r.paper_id, r.outcome_kind, r.outcome, r.arm)
)
SELECT coalesce(l.study_id, r.paper_id) AS study_id, r.paper_id, r.outcome_kind, r.outcome, r.arm,
       r.events, r.total, r.total_source, r.percent, r.poolable, r.mentions, r.in_abstract,
       regexp_extract(p.source, '([^/]+?)(\.[^./]*)?$', 1) || coalesce(' (' || p.year || ')', '') AS label,
       p.source, p.format, p.title, p.year, p.doi, p.pmid,
       CASE WHEN p.format IN ('medline', 'pubmed_xml', 'pubmed_html', 'ris') THEN 1 ELSE 0 END AS abstract_only,
       CASE WHEN regexp_matches(d.text, 'randomi[sz]ed', 'i') THEN 'randomised' ELSE 'non-randomised' END
           AS design,
       md.agent, md.common_value AS dose_value, md.common_unit AS dose_unit, md.daily_value AS dose_daily,
       md.dose_band, md.route, md.schedule, md.entity_idx AS dose_entity_idx, md.span AS dose_span,
       r.section, r."start", r."end", r.span, r.table_label, r.cell_row, r.cell_col,
       coalesce(f.checks, []::VARCHAR[]) AS flags, coalesce(f.major, false) AS flagged_major
FROM ranked r
JOIN papers p ON p.paper_id = r.paper_id
JOIN documents d ON d.paper_id = r.paper_id
LEFT JOIN study_links l ON l.paper_id = r.paper_id
LEFT JOIN main_dose md ON md.paper_id = r.paper_id
LEFT JOIN entity_flags f ON f.paper_id = r.paper_id AND f.entity_idx = r.entity_idx
WHERE r.rn = 1
