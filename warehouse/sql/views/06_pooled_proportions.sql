-- Pooled proportions in SQL: fixed effect (inverse variance, metafor's "EE") and DerSimonian-Laird
-- random effects, 95% Wald CI and prediction interval, tau^2, I^2, H^2 and Q, on metafor's measures
-- PLO (default), PFT, PAS, PLN, PR. Zero-event and all-event studies get `cc` (0.5) added to events
-- and non-events, as escalc(add=1/2, to="only0"); PAS and PFT need no correction.
-- REML and Paule-Mandel need iteration: `evidence pool` computes them in Python (pooling/) and
-- stores them in pooled_results. The Q test's p-value needs a chi-square tail, also left to Python.
--   SELECT * FROM pooled_proportions('response_rate', transform_name := 'PLO', by_name := 'agent');

-- metafor's transf.pft and transf.ipft (the double arcsine at size n, and its inverse clipped to [0, 1])
CREATE OR REPLACE MACRO pft(p, n) AS
    0.5 * (asin(sqrt(p * n / (n + 1))) + asin(sqrt((p * n + 1) / (n + 1))));
CREATE OR REPLACE MACRO ipft(y, n) AS
    CASE WHEN y > pft(1.0, n) THEN 1.0
         WHEN y < pft(0.0, n) THEN 0.0
         ELSE 0.5 * (1 - sign(cos(2 * y))
                     * sqrt(greatest(0.0, 1 - (sin(2 * y) + (sin(2 * y) - 1 / sin(2 * y)) / n) ^ 2)))
    END;
-- Back to a proportion; PFT uses the harmonic mean of the study sizes (metafor's transf.ipft.hm,
-- which metafor itself warns can mislead with unequal sizes).
CREATE OR REPLACE MACRO back_proportion(y, transform_name, n_hm) AS
    CASE transform_name
        WHEN 'PLO' THEN 1 / (1 + exp(-y))
        WHEN 'PLN' THEN exp(y)
        WHEN 'PAS' THEN sin(least(greatest(y, 0.0), pi() / 2)) ^ 2
        WHEN 'PFT' THEN ipft(y, n_hm)
        ELSE y
    END;

CREATE OR REPLACE MACRO proportion_effects(outcome_name, transform_name, by_name, agent_name, cc) AS TABLE
WITH base AS (
    SELECT p.*, CAST(p.events AS DOUBLE) AS x, CAST(p.total AS DOUBLE) AS n,
           upper(transform_name) NOT IN ('PAS', 'PFT') AND cc > 0 AND (p.events = 0 OR p.events = p.total)
               AS corrected
    FROM pool_input(outcome_name, agent_name, by_name) p
),
adj AS (
    SELECT *, CASE WHEN corrected THEN x + cc ELSE x END AS xa,
              CASE WHEN corrected THEN n + 2 * cc ELSE n END AS na
    FROM base
)
SELECT *,
       CASE upper(transform_name)
           WHEN 'PLO' THEN ln(xa / (na - xa))
           WHEN 'PLN' THEN ln(xa / na)
           WHEN 'PAS' THEN asin(sqrt(xa / na))
           WHEN 'PFT' THEN 0.5 * (asin(sqrt(xa / (na + 1))) + asin(sqrt((xa + 1) / (na + 1))))
           ELSE xa / na
       END AS yi,
       CASE upper(transform_name)
           WHEN 'PLO' THEN 1 / xa + 1 / (na - xa)
           WHEN 'PLN' THEN 1 / xa - 1 / na
           WHEN 'PAS' THEN 1 / (4 * na)
           WHEN 'PFT' THEN 1 / (4 * na + 2)
           ELSE (xa / na) * (1 - xa / na) / na
       END AS vi
FROM adj;

CREATE OR REPLACE MACRO pooled_proportions(outcome_name, transform_name := 'PLO', by_name := 'none',
                                           agent_name := NULL, cc := 0.5) AS TABLE
WITH eff AS MATERIALIZED (  -- read three times below: compute the studies once
    SELECT * FROM proportion_effects(outcome_name, transform_name, by_name, agent_name, cc) WHERE vi > 0
),
fe AS (
    SELECT grp, count(*) AS k, sum(events) AS events, sum(total) AS total,
           sum(1 / vi) AS sw, sum(1 / (vi * vi)) AS sw2, sum(yi / vi) / sum(1 / vi) AS est_fe,
           1 / avg(1 / n) AS n_hm
    FROM eff GROUP BY grp
),
het AS (  -- Q in a second pass (not sum(w y^2) - ...), which would cancel badly
    SELECT fe.*, sum((e.yi - fe.est_fe) ^ 2 / e.vi) AS q
    FROM fe JOIN eff e USING (grp)
    GROUP BY ALL
),
dl AS (
    SELECT *, CASE WHEN k > 1 THEN greatest(0.0, (q - (k - 1)) / (sw - sw2 / sw)) ELSE 0.0 END AS tau2_dl
    FROM het
),
re AS (
    SELECT dl.grp, sum(1 / (e.vi + dl.tau2_dl)) AS sw_re, sum(e.yi / (e.vi + dl.tau2_dl)) AS swy_re
    FROM dl JOIN eff e USING (grp)
    GROUP BY dl.grp
),
fits AS (
    SELECT dl.grp, m.method, dl.k, dl.events, dl.total, dl.q, dl.n_hm, dl.sw, dl.sw2,
           CASE m.method WHEN 'EE' THEN 0.0 ELSE dl.tau2_dl END AS tau2,
           CASE m.method WHEN 'EE' THEN dl.est_fe ELSE re.swy_re / re.sw_re END AS estimate_t,
           CASE m.method WHEN 'EE' THEN sqrt(1 / dl.sw) ELSE sqrt(1 / re.sw_re) END AS se
    FROM dl JOIN re USING (grp) CROSS JOIN (VALUES ('EE'), ('DL')) m(method)
),
stats AS (
    SELECT *, 1.959963984540054 AS z,
           CASE WHEN k > 1 THEN (k - 1) * sw / (sw * sw - sw2) END AS vt  -- metafor's typical variance
    FROM fits
)
SELECT grp, upper(transform_name) AS transform, method, k, events, total,
       back_proportion(estimate_t, upper(transform_name), n_hm) AS estimate,
       back_proportion(estimate_t - z * se, upper(transform_name), n_hm) AS ci_lb,
       back_proportion(estimate_t + z * se, upper(transform_name), n_hm) AS ci_ub,
       back_proportion(estimate_t - z * sqrt(se * se + tau2), upper(transform_name), n_hm) AS pi_lb,
       back_proportion(estimate_t + z * sqrt(se * se + tau2), upper(transform_name), n_hm) AS pi_ub,
       estimate_t, se, estimate_t - z * se AS ci_lb_t, estimate_t + z * se AS ci_ub_t, tau2,
       CASE WHEN k < 2 THEN 0.0
            WHEN method = 'EE' THEN CASE WHEN q > 0 THEN greatest(0.0, 100 * (q - (k - 1)) / q) ELSE 0.0 END
            ELSE 100 * tau2 / (vt + tau2) END AS i2,
       CASE WHEN k < 2 THEN 1.0 WHEN method = 'EE' THEN q / (k - 1) ELSE (vt + tau2) / vt END AS h2,
       q, k - 1 AS q_df
FROM stats
ORDER BY grp, method DESC;
