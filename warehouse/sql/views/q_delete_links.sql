DELETE FROM study_links
