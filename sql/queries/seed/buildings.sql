-- seed/buildings: footprints ($2, FeatureCollection with building_id) joined to generated attributes
-- ($3, SampleBuilding[]) for community $1, source $4. Invalid footprints are repaired (ST_MakeValid),
-- never stored invalid; re-running inserts nothing new.
with footprint as (
  select f -> 'properties' ->> 'building_id' as source_id,
         ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326)), 3)) as geom
  from jsonb_array_elements($2::jsonb -> 'features') as f
),
attrs as (
  select a ->> 'sourceId' as source_id, a ->> 'address' as address, (a ->> 'households')::integer as households,
         (a ->> 'residents')::integer as residents, (a ->> 'floors')::integer as floors
  from jsonb_array_elements($3::jsonb) as a
)
insert into buildings (community_id, address, households, residents, floors, geom, source, source_id, is_sample)
select $1, attrs.address, attrs.households, attrs.residents, attrs.floors, footprint.geom, $4, footprint.source_id,
       attrs.source_id is not null
from footprint left join attrs using (source_id)
where not ST_IsEmpty(footprint.geom)
on conflict do nothing
