SELECT * EXCLUDE (studies), CAST(studies AS VARCHAR) AS studies FROM pooled_results
ORDER BY outcome, by_col, grp, method
