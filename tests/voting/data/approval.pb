META
key;value
description;Municipal participatory budget of Learning City, District North
country;Poland
unit;Learning City
subunit;District North
instance;2024
num_projects;6
num_votes;10
budget;200000
vote_type;approval
rule;greedy
date_begin;01.09.2024
date_end;30.09.2024
min_length;1
max_length;6
language;polish
edition;9
PROJECTS
project_id;cost;votes;name;category;target
1;90000;6;Bike lanes on Lipowa street;transport;adults,seniors
2;60000;5;"Reading corner; library garden";education,culture;children
3;45000;5;Benches in the park;public space;seniors
4;30000;3;Outdoor gym;sport;adults
5;120000;2;Sports hall renovation;sport,education;youth
6;15000;2;Trees along the school road;environment;children
VOTES
voter_id;vote;age;sex;voting_method
101;1,2,3;34;F;internet
102;1,3;67;M;paper
103;1,2,4;29;F;internet
104;2,3,6;45;M;internet
105;1,5;19;M;internet
106;1,2,3,4;52;F;paper
107;3,6;71;F;paper
108;1,4,5;23;M;internet
109;2;38;F;internet
110;;41;M;paper
