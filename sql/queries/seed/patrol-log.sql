-- seed/patrol-log: sample patrols done ($2, SamplePatrol[]) for community $1; routes and members are
-- matched by their sample keys, the team is the route's. (source, source_id) keeps a second run empty.
insert into patrol_logs (community_id, route_id, route_name, team_id, patrol_date, start_time, end_time, member_ids, members_count, notes, source, source_id, created_by_name)
select $1, r.id, r.name, r.team_id, (p ->> 'date')::date, (p ->> 'start')::time, (p ->> 'end')::time,
       array(select m.id from jsonb_array_elements_text(p -> 'members') as k join team_members as m on m.community_id = $1 and m.source = 'sample' and m.source_id = k order by m.id),
       (p ->> 'membersCount')::integer, p ->> 'notes', 'sample', p ->> 'key', 'sample'
from jsonb_array_elements($2::jsonb) as p
join patrol_routes as r on r.community_id = $1 and r.source = 'sample' and r.source_id = p ->> 'routeKey'
on conflict do nothing
