SELECT * FROM pooled_proportions($outcome, transform_name := $transform, by_name := $by, agent_name := $agent,
                                 cc := $cc)
