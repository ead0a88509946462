-- seed/teams: sample patrol teams ($2, SampleTeam[], with their names per language) for community $1.
insert into patrol_teams (community_id, name, names, kind, members, source, source_id, is_sample)
select $1, t ->> 'name', coalesce(t -> 'names', '{}'), t ->> 'kind', (t ->> 'members')::integer, 'sample', t ->> 'key', true
from jsonb_array_elements($2::jsonb) as t
on conflict do nothing
