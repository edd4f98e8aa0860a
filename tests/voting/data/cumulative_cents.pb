META
key;value
description;Cumulative ballots, equal shares, costs with cents
country;Poland
unit;Learning City
instance;2024
num_projects;5
num_votes;8
budget;1000.50
currency;EUR
vote_type;cumulative
rule;equalshares/add1
min_points;0
max_sum_points;5
PROJECTS
project_id;cost;votes;score;name;selected
11;400.25;5;12;Repair café;1
12;350.10;4;9;Language café;1
13;300.15;3;8;Homework club;0
14;250.00;2;5;Chess tables;0
15;150.75;1;2;Poetry night;1
VOTES
voter_id;vote;points
p1;11,12;3,2
p2;11,13;2,3
p3;11,12,14;1,1,3
p4;11,13;4,1
p5;11,12;2,3
p6;12,14;3,2
p7;13;4
p8;15;2
