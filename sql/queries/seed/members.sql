-- seed/members: sample team members ($2, SampleMember[]) for community $1, and the shifts each usually
-- walks (matched by route key, days and times). Links are added only with a newly inserted member.
with member as (
  insert into team_members (community_id, team_id, name, names, phone, active, source, source_id, is_sample)
  select $1, t.id, m ->> 'name', coalesce(m -> 'names', '{}'), m ->> 'phone', (m ->> 'active')::boolean, 'sample', m ->> 'key', true
  from jsonb_array_elements($2::jsonb) as m
  join patrol_teams as t on t.community_id = $1 and t.source = 'sample' and t.source_id = m ->> 'teamKey'
  on conflict do nothing
  returning id, source_id
)
insert into team_member_shifts (community_id, member_id, shift_id)
select distinct $1, member.id, s.id
from member
join jsonb_array_elements($2::jsonb) as m on m ->> 'key' = member.source_id
cross join lateral jsonb_array_elements(m -> 'shifts') as x
join patrol_routes as r on r.community_id = $1 and r.source = 'sample' and r.source_id = x ->> 'routeKey'
join patrol_shifts as s on s.community_id = $1 and s.route_id = r.id and s.start_time = (x ->> 'start')::time and s.end_time = (x ->> 'end')::time
  and s.days = array(select jsonb_array_elements_text(x -> 'days')::smallint)
