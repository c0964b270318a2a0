-- RevMan-style rows: per study and arm, dichotomous outcomes (events/total) and continuous ones
-- (mean, SD, n), with the span each number came from.
SELECT o.label AS study, o.study_id, o.paper_id, o.arm AS "group", o.outcome_kind AS outcome_type,
       o.outcome, o.events, o.total, NULL::DOUBLE AS mean, NULL::DOUBLE AS sd, NULL::INTEGER AS n,
       o.agent, o.dose_value, o.dose_unit, o.span, o."start", o."end", o.section, o.table_label
FROM outcomes o
UNION ALL
SELECT regexp_extract(p.source, '([^/]+?)(\.[^./]*)?$', 1) || coalesce(' (' || p.year || ')', '') AS study,
       coalesce(l.study_id, e.paper_id), e.paper_id, coalesce(e."group", 'all'), 'continuous',
       coalesce(e.variable, 'mean'), NULL, NULL, e.mean, e.sd, e.n,
       NULL, NULL, NULL, e.span, e."start", e."end", e.section, e.table_label
FROM entities e JOIN papers p USING (paper_id) LEFT JOIN study_links l ON l.paper_id = e.paper_id
WHERE e.kind = 'summary_stat' AND NOT e.cited
ORDER BY study, outcome_type, outcome, "group"
