-- Communities with their extent and record counts, by id ($1: one community's id, or null for all);
-- `sample`: some of its zones, routes, captains or buildings were generated for the demo.
select c.id, c.name, c.name_zh, c.time_zone, c.metric_srid,
       json_build_array(ST_XMin(c.boundary), ST_YMin(c.boundary), ST_XMax(c.boundary), ST_YMax(c.boundary)) as bbox,
       json_build_array(ST_X(ST_Centroid(c.boundary)), ST_Y(ST_Centroid(c.boundary))) as center,
       json_build_object(
         'buildings', (select count(*) from buildings where community_id = c.id),
         'zones', (select count(*) from grid_zones where community_id = c.id),
         'routes', (select count(*) from patrol_routes where community_id = c.id),
         'captains', (select count(*) from captains where community_id = c.id),
         'incidents', (select count(*) from incidents where community_id = c.id),
         'disputes', (select count(*) from disputes where community_id = c.id)) as counts,
       exists (select 1 from grid_zones where community_id = c.id and is_sample)
         or exists (select 1 from patrol_routes where community_id = c.id and is_sample)
         or exists (select 1 from captains where community_id = c.id and is_sample)
         or exists (select 1 from buildings where community_id = c.id and is_sample) as sample
from communities as c
where $1::text is null or c.id = $1
order by c.id
