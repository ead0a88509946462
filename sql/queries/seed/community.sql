-- seed/community: insert a community from its SampleCommunity JSON ($1); an existing id is left as it is.
insert into communities (id, name, name_zh, time_zone, metric_srid, boundary)
select c ->> 'id', c ->> 'name', c ->> 'nameZh', c ->> 'timeZone', (c ->> 'metricSrid')::integer,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(c -> 'boundary'), 4326)), 3))
from (select $1::jsonb as c) as input
on conflict (id) do nothing
