-- seed/zones: sample grid zones ($2, FeatureCollection of SampleZoneProps) for community $1, with their team.
insert into grid_zones (community_id, code, name, names, geom, grid_worker, grid_worker_names, patrol_team_id, source, source_id, is_sample)
select $1, p ->> 'code', p ->> 'name', coalesce(p -> 'names', '{}'),
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326)), 3)),
       p ->> 'gridWorker', coalesce(p -> 'gridWorkerNames', '{}'), t.id, 'sample', p ->> 'code', true
from jsonb_array_elements($2::jsonb -> 'features') as f
cross join lateral (select f -> 'properties' as p) as props
left join patrol_teams as t on t.community_id = $1 and t.source = 'sample' and t.source_id = p ->> 'teamKey'
on conflict do nothing
