META
key;value
description;Ranked ballots scored by position (three places: 3, 2, 1 points)
country;Poland
unit;Learning City
instance;2022
num_projects;5
num_votes;7
budget;10000
currency;PLN
vote_type;ordinal
rule;greedy
min_length;1
max_length;3
PROJECTS
project_id;cost;score;votes;name;selected
a;5000;8;4;Playground;0
b;4000;7;4;Benches;0
c;3000;8;4;Trees;1
d;2000;5;2;Water fountain;0
e;6000;9;3;Community garden;1
VOTES
voter_id;vote
v1;e,a,b
v2;e,c
v3;a,b,c
v4;b,a
v5;c,d,a
v6;d,c,b
v7;e
