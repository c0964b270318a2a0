INSERT INTO pooled_results BY NAME SELECT * FROM staged_pooled
