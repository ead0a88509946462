-- seed/incidents: incident points ($2, FeatureCollection with incident_id, category, description,
-- address, resolution and either `datetime` (ISO, time known) or `date` (local date, time unknown))
-- for community $1, source $3. Rows repeating an incident_id (one per offence code in SFPD data)
-- collapse into one incident through the (community_id, source, source_id) key.
insert into incidents (community_id, category, description, occurred_at, time_known, geom, address, status, source, source_id)
select c.id, p ->> 'category', p ->> 'description',
       case when p ? 'datetime' then (p ->> 'datetime')::timestamptz
            else ((p ->> 'date')::date::timestamp at time zone c.time_zone) end,
       p ? 'datetime',
       ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326), p ->> 'address', p ->> 'resolution', $3, p ->> 'incident_id'
from communities as c
cross join jsonb_array_elements($2::jsonb -> 'features') as f
cross join lateral (select f -> 'properties' as p) as props
where c.id = $1
on conflict do nothing
