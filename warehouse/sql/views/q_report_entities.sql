SELECT paper_id, entity_idx, kind, section, "start", "end", span, table_label, cell_row, cell_col, cited,
       uncertain, CAST(record AS VARCHAR) AS record
FROM entities ORDER BY paper_id, "start", entity_idx
