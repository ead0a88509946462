-- seed/routes: sample patrol routes and their shifts ($2, FeatureCollection of SampleRouteProps) for
-- community $1. Shifts are added only with a newly inserted route, so re-running adds nothing.
with route as (
  insert into patrol_routes (community_id, team_id, name, names, geom, reach_m, source, source_id, is_sample)
  select $1, t.id, p ->> 'name', coalesce(p -> 'names', '{}'), ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326), (p ->> 'reachM')::float8,
         'sample', p ->> 'key', true
  from jsonb_array_elements($2::jsonb -> 'features') as f
  cross join lateral (select f -> 'properties' as p) as props
  join patrol_teams as t on t.community_id = $1 and t.source = 'sample' and t.source_id = p ->> 'teamKey'
  on conflict do nothing
  returning id, source_id
)
insert into patrol_shifts (community_id, route_id, days, start_time, end_time)
select $1, route.id, array(select jsonb_array_elements_text(s -> 'days')::smallint),
       (s ->> 'start')::time, (s ->> 'end')::time
from route
join jsonb_array_elements($2::jsonb -> 'features') as f on f -> 'properties' ->> 'key' = route.source_id
cross join lateral jsonb_array_elements(f -> 'properties' -> 'shifts') as s
