-- A new request replaces the stored results of the same outcome, filter, grouping, transform and method.
DELETE FROM pooled_results
WHERE outcome = $outcome AND agent IS NOT DISTINCT FROM $agent AND by_col = $by
  AND transform = $transform AND method = $method
