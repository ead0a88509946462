-- seed/streets: OSM lines ($2, FeatureCollection with osm_id, name, highway) for community $1, source $3.
-- MultiLineStrings are split into their parts (source_id osm_id:n); degenerate parts are dropped.
insert into streets (community_id, name, highway, geom, source, source_id)
select $1, f -> 'properties' ->> 'name', f -> 'properties' ->> 'highway', part.geom, $3,
       (f -> 'properties' ->> 'osm_id') || coalesce(':' || part.path[1], '')
from jsonb_array_elements($2::jsonb -> 'features') as f
cross join lateral ST_Dump(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326)) as part
where ST_GeometryType(part.geom) = 'ST_LineString' and ST_IsValid(part.geom) and ST_Length(part.geom) > 0
on conflict do nothing
