-- Doses in common units so studies of one agent group together: activity in MBq, mass in mg,
-- international units in IU, keeping what the amount is per (kg, m2, day, dose, administration).
-- daily_value is the daily equivalent where the schedule makes that meaningful (per dose every
-- N hours, twice/three times daily, weekly), else NULL.
CREATE OR REPLACE VIEW doses_normalized AS
WITH factors(amount, factor, common) AS (
    VALUES ('MBq', 1.0, 'MBq'), ('GBq', 1000.0, 'MBq'), ('kBq', 0.001, 'MBq'), ('TBq', 1000000.0, 'MBq'),
           ('mCi', 37.0, 'MBq'), ('µCi', 0.037, 'MBq'), ('μCi', 0.037, 'MBq'), ('Ci', 37000.0, 'MBq'),
           ('g', 1000.0, 'mg'), ('mg', 1.0, 'mg'), ('µg', 0.001, 'mg'), ('μg', 0.001, 'mg'),
           ('mcg', 0.001, 'mg'), ('ng', 0.000001, 'mg'),
           ('IU', 1.0, 'IU'), ('MIU', 1000000.0, 'IU'), ('kIU', 1000.0, 'IU')
),
dose AS (
    SELECT e.paper_id, e.entity_idx, e.kind, e.agent, e.value, e.value_high, e.unit, e.route, e.schedule,
           coalesce(e.diagnostic, false) AS diagnostic, e.cited, e.section, e."start", e."end", e.span,
           e.table_label, e.cell_row, e.cell_col,
           coalesce(e.norm_value, e.value) AS norm_value,
           coalesce(e.norm_value_high, e.value_high) AS norm_value_high,
           coalesce(e.norm_unit, e.unit) AS norm_unit,
           regexp_extract(coalesce(e.norm_unit, e.unit), '^([^/ (]+)', 1) AS amount,
           regexp_replace(coalesce(e.norm_unit, e.unit), '^[^/ (]+', '') AS per
    FROM entities e
    WHERE e.kind IN ('dose', 'mtd')
)
SELECT d.paper_id, d.entity_idx, d.kind, d.agent, d.value, d.value_high, d.unit, d.route, d.schedule,
       d.diagnostic, d.cited, d.norm_value, d.norm_unit,
       d.norm_value * f.factor AS common_value,
       d.norm_value_high * f.factor AS common_value_high,
       CASE WHEN f.common IS NULL THEN d.norm_unit ELSE f.common || d.per END AS common_unit,
       CASE
           WHEN f.common IS NULL THEN NULL
           WHEN d.per LIKE '%/day%' THEN d.norm_value * f.factor
           WHEN regexp_matches(coalesce(d.schedule, ''), 'every\s+\d+\s*(h|hours?)\b', 'i')
               THEN d.norm_value * f.factor * 24.0
                    / CAST(regexp_extract(d.schedule, 'every\s+(\d+)\s*(h|hours?)', 1, 'i') AS DOUBLE)
           WHEN regexp_matches(coalesce(d.schedule, ''), '\b(twice (a day|daily)|bid|b\.i\.d\.)\b', 'i')
               THEN d.norm_value * f.factor * 2
           WHEN regexp_matches(coalesce(d.schedule, ''), '\b(three times (a day|daily)|tid|t\.i\.d\.)\b', 'i')
               THEN d.norm_value * f.factor * 3
           WHEN regexp_matches(coalesce(d.schedule, ''), '\b(daily|every day|once a day|qd)\b', 'i')
               THEN d.norm_value * f.factor
           WHEN d.per LIKE '%/wk%' OR d.per LIKE '%/week%'
                OR regexp_matches(coalesce(d.schedule, ''), '\b(weekly|once/week|once a week)\b', 'i')
               THEN d.norm_value * f.factor / 7
           ELSE NULL
       END AS daily_value,
       -- an order-of-magnitude band within the unit, for `--by dose_band`
       CASE WHEN d.norm_value > 0 AND f.common IS NOT NULL
            THEN f.common || regexp_replace(d.per, '\s*\(.*$|\s+per .*$', '') || ' 1e'
                 || CAST(CAST(floor(log10(d.norm_value * f.factor)) AS INTEGER) AS VARCHAR)
       END AS dose_band,
       d.section, d."start", d."end", d.span, d.table_label, d.cell_row, d.cell_col
FROM dose d
LEFT JOIN factors f ON f.amount = d.amount
