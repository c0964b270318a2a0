-- Overview of audit findings by check, across papers.
SELECT "check",
       count(*) FILTER (WHERE status = 'inconsistent') AS inconsistent,
       count(*) FILTER (WHERE status = 'unverifiable') AS unverifiable,
       count(*) FILTER (WHERE status = 'consistent') AS consistent,
       count(DISTINCT paper_id) FILTER (WHERE status = 'inconsistent') AS papers_inconsistent
FROM findings
GROUP BY "check" ORDER BY inconsistent DESC, "check"
