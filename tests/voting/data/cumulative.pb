META
key;value
description;Youth budget of Learning City
country;Poland
unit;Learning City
instance;2023
num_projects;4
num_votes;6
budget;50000
vote_type;cumulative
max_sum_points;10
rule;equalshares/add1
date_begin;2023-05-01
date_end;2023-05-31
PROJECTS
project_id;cost;votes;score;name
A1;20000;4;19;Skate park
A2;15000;4;17;Music studio
A3;25000;2;9;Climbing wall
A4;8000;3;10;Chess tables
VOTES
voter_id;vote;points
y1;A1,A2;6,4
y2;A1,A3;5,5
y3;A2,A4;7,3
y4;A1,A2,A4;3,3,4
y5;A3,A4;4,3
y6;A1,A2;5,3
