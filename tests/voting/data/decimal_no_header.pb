META
description;District 7 participatory budget (amounts with cents, no header line)
country;Poland
unit;Learning City
instance;2023
num_projects;6
num_votes;12
budget;222176.85
currency;PLN
vote_type;approval
rule;greedy
language;polish
PROJECTS
project_id;cost;votes;name;selected
1;120000.50;8;Green courtyard;1
2;101000.00;7;Library reading room;1
3;1176.36;6;Bird boxes;0
4;1176.35;5;Book swap shelf;1
5;50000;3;Skate ramp;0
6;0,50;0;Seed packets;0
VOTES
voter_id;vote
1;1,2,3
2;1,2,3
3;1,2,3,4
4;1,2,3,4
5;1,2,4
6;1,2,4,5
7;1,2,5
8;1,3,5
9;3,4
10;
11;
12;
