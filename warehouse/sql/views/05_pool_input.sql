-- The studies a pooled outcome rests on: outcomes matching `outcome_name` (a kind, response_rate or
-- toxicity, or an outcome label pattern), one row per study (per study and outcome when grouping by
-- outcome). A study ingested twice (study_links) counts once, from its full text before its
-- abstract, and falls in the group of that paper. A study's outcome is the one its abstract reports
-- (its headline result), else the most general response (response, then any response, regression,
-- remission). Arms of one study are not pooled as separate
-- studies, since a subgroup would count its patients twice: the whole cohort ('all') is taken
-- first, else the largest arm (the export keeps every arm). `by_name` picks the grouping from an
-- allowlist: none, agent, dose_band, design, outcome.
CREATE OR REPLACE MACRO pool_input(outcome_name, agent_name, by_name) AS TABLE
SELECT * EXCLUDE (rn) FROM (
    SELECT g.*,
           row_number() OVER (
               PARTITION BY g.study_id, CASE WHEN by_name = 'outcome' THEN g.outcome END
               ORDER BY g.abstract_only,
                        g.in_abstract DESC,  -- the outcome the abstract reports is the study's headline
                        CASE WHEN g.outcome = 'response' THEN 0 WHEN g.outcome LIKE '%response%' THEN 1
                             WHEN g.outcome LIKE '%regression%' OR g.outcome LIKE '%remission%' THEN 2
                             ELSE 3 END,
                        g.arm <> 'all', g.total DESC, g.paper_id, g."start") AS rn
    FROM (
        SELECT o.*,
               CASE by_name WHEN 'agent' THEN coalesce(o.agent, 'agent not stated')
                            WHEN 'dose_band' THEN coalesce(o.agent || ' ', '') || coalesce(o.dose_band, 'dose not stated')
                            WHEN 'design' THEN o.design
                            WHEN 'outcome' THEN o.outcome
                            ELSE 'all' END AS grp
        FROM outcomes o
        WHERE o.poolable
          AND (o.outcome_kind = outcome_name OR o.outcome ILIKE outcome_name)
          AND (agent_name IS NULL OR o.agent ILIKE agent_name)
    ) g
) WHERE rn = 1
