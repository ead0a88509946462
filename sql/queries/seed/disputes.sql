-- seed/disputes: sample disputes with their mediation state ($2, FeatureCollection of SampleDisputeProps)
-- for community $1; the building is matched by footprint source id (source $3).
insert into disputes (community_id, building_id, geom, kind, reported_at, status, resolved_at, outcome, source, source_id, is_sample)
select $1, b.id, ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326), p ->> 'kind', (p ->> 'reportedAt')::timestamptz,
       p ->> 'status', (p ->> 'resolvedAt')::timestamptz, p ->> 'outcome', 'sample', p ->> 'key', true
from jsonb_array_elements($2::jsonb -> 'features') as f
cross join lateral (select f -> 'properties' as p) as props
left join buildings as b on b.community_id = $1 and b.source = $3 and b.source_id = p ->> 'buildingSourceId'
on conflict do nothing
