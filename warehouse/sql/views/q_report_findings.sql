SELECT paper_id, finding_idx, "check", status, severity, message, CAST(evidence AS VARCHAR) AS evidence,
       uncertain
FROM findings
ORDER BY paper_id, CASE status WHEN 'inconsistent' THEN 0 WHEN 'unverifiable' THEN 1 ELSE 2 END, finding_idx
