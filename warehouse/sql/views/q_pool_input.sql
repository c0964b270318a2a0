SELECT * FROM pool_input($outcome, $agent, $by) ORDER BY grp, label, arm
