-- 00005 domain rules, one home each (see docs/architecture.md): when a shift is in service, the
-- Gi* z-score, the box around a geometry grown by metres, and which grid zone a building or an
-- incident belongs to — the zone is now stored on the row and kept by triggers, so every answer
-- (coverage, figures, layers, search, gaps) reads the same zone.

-- 1. A patrol shift is in service during a window. The TypeScript twin is
--    server/src/rules/shifts.ts (shiftInWindow), shared with the web app; a test holds them equal.
--    A shift runs on each of its ISO weekdays from start to end; end <= start runs past midnight and
--    the part after midnight belongs to the next day. The window is the time of day
--    [hours_start, hours_end) minutes (crossing midnight when end <= start; null: the whole day) on
--    each of `weekdays` (null: every day). In service = some part of the shift overlaps the window
--    on the same weekday.
create function safegrid_shift_in_window(days smallint[], start_time time, end_time time, weekdays int[], hours_start int, hours_end int)
returns boolean
language sql immutable parallel safe
return exists (
  select 1
  from (
    select d::int as day, (extract(epoch from start_time) / 60)::int as a,
           case when end_time > start_time then (extract(epoch from end_time) / 60)::int else 1440 end as b
    from unnest(days) as d
    union all
    select d % 7 + 1, 0, (extract(epoch from end_time) / 60)::int
    from unnest(days) as d
    where end_time < start_time
  ) as part
  cross join lateral (
    select 0 as a, 1440 as b where hours_start is null
    union all select hours_start, hours_end where hours_start < hours_end
    union all select hours_start, 1440 where hours_start >= hours_end
    union all select 0, hours_end where hours_start >= hours_end and hours_end > 0
  ) as win
  where (weekdays is null or part.day = any(weekdays)) and part.a < win.b and win.a < part.b
);
comment on function safegrid_shift_in_window(smallint[], time, time, int[], int, int) is
  'true when a shift (days, start, end; end <= start crosses midnight) is on during the local window [hours_start, hours_end) minutes on weekdays (nulls: all)';

-- 2. The Getis-Ord Gi* z-score of a cell from the sum of its neighbours' counts (wx, itself
--    included), their number (w), and the study area's cell count n, mean xbar and population
--    standard deviation s: z = (Σw·x − x̄Σw) / (S·√((nΣw² − (Σw)²)/(n−1))) with binary weights.
--    Null when undefined (no variance, one cell, or every cell a neighbour of every other). One
--    expression, not STRICT, so it is inlined into the analysis queries.
create function safegrid_gistar_z(wx float8, w float8, n float8, xbar float8, s float8)
returns float8
language sql immutable parallel safe
return case when s > 0 and n > 1 and n * w - w * w > 0 then (wx - xbar * w) / (s * sqrt((n * w - w * w) / (n - 1))) end;
comment on function safegrid_gistar_z(float8, float8, float8, float8, float8) is 'Getis-Ord Gi* z-score, binary weights: (wx, w) of the cell, (n, mean, sd) of the study area';

-- 3. The bounding box of a 4326 geometry grown by `metres` on every side, for index look-ups before an
--    exact ST_DWithin in metres. A degree of longitude is shortest at the latitude farthest from the
--    equator, so the box is grown by the metres in degrees there (and 1 % more), never missing one.
create function safegrid_metre_box(g geometry, metres float8)
returns geometry
language sql immutable parallel safe
return ST_Expand(g,
  metres / (111319.49 * cos(radians(least(89, greatest(abs(ST_YMin(g)), abs(ST_YMax(g))))))) * 1.01,
  metres / 110574.0 * 1.01);
comment on function safegrid_metre_box(geometry, float8) is 'bounding box of a 4326 geometry grown by at least `metres` on every side';

-- 4. Zones of buildings and incidents.
--    An incident (a point) belongs to the zone with the lowest id that contains it — zones may meet
--    on the streets where incidents are geocoded, and so zones add up — or to none.
--    A building (or any area: a hot spot cell) belongs to the zone holding its point on surface;
--    one that sticks out of every zone (footprints cut at the community edge) to the nearest zone
--    within 0.001° (~100 m); otherwise to none.
create function safegrid_zone_containing(community text, pt geometry)
returns bigint
language sql stable parallel safe
return (select z.id from grid_zones as z where z.community_id = community and ST_Intersects(z.geom, pt) order by z.id limit 1);
comment on function safegrid_zone_containing(text, geometry) is 'the grid zone (lowest id) containing a point, or null';

create function safegrid_zone_of(community text, footprint geometry)
returns bigint
language sql stable parallel safe
return coalesce(
  safegrid_zone_containing(community, ST_PointOnSurface(footprint)),
  (select z.id from grid_zones as z
   where z.community_id = community and ST_DWithin(z.geom, footprint, 0.001)
   order by ST_Distance(z.geom, footprint), z.id limit 1));
comment on function safegrid_zone_of(text, geometry) is 'the grid zone of an area: the one holding its point on surface, else the nearest within 0.001°, else null';

alter table buildings add column zone_id bigint;
alter table incidents add column zone_id bigint;
comment on column buildings.zone_id is 'safegrid_zone_of(footprint), kept by triggers on buildings and grid_zones';
comment on column incidents.zone_id is 'safegrid_zone_containing(point), kept by triggers on incidents and grid_zones';

create function safegrid_set_building_zone() returns trigger language plpgsql as $$
begin
  new.zone_id := safegrid_zone_of(new.community_id, new.geom);
  return new;
end
$$;
create trigger buildings_zone before insert or update of geom, community_id on buildings
  for each row execute function safegrid_set_building_zone();

create function safegrid_set_incident_zone() returns trigger language plpgsql as $$
begin
  new.zone_id := safegrid_zone_containing(new.community_id, new.geom);
  return new;
end
$$;
create trigger incidents_zone before insert or update of geom, community_id on incidents
  for each row execute function safegrid_set_incident_zone();

-- When zones change, the buildings and incidents they held or now hold are placed again: those of
-- a changed zone, those without a zone, and those within reach of a changed zone's old or new shape.
create function safegrid_rezone(community_ids text[], shapes geometry[], zone_ids bigint[]) returns void language plpgsql as $$
begin
  update buildings as b set zone_id = safegrid_zone_of(b.community_id, b.geom)
  where b.community_id = any(community_ids)
    and (b.zone_id is null or b.zone_id = any(zone_ids)
         or exists (select 1 from unnest(shapes) as s (g) where b.geom && ST_Expand(s.g, 0.001)))
    and b.zone_id is distinct from safegrid_zone_of(b.community_id, b.geom);
  update incidents as i set zone_id = safegrid_zone_containing(i.community_id, i.geom)
  where i.community_id = any(community_ids)
    and (i.zone_id is null or i.zone_id = any(zone_ids)
         or exists (select 1 from unnest(shapes) as s (g) where i.geom && s.g))
    and i.zone_id is distinct from safegrid_zone_containing(i.community_id, i.geom);
end
$$;

create function safegrid_zones_inserted() returns trigger language plpgsql as $$
begin
  perform safegrid_rezone((select array_agg(distinct community_id) from new_zones), (select array_agg(geom) from new_zones), (select array_agg(id) from new_zones));
  return null;
end
$$;
create function safegrid_zones_updated() returns trigger language plpgsql as $$
begin
  perform safegrid_rezone(
    (select array_agg(distinct community_id) from (select community_id from old_zones union select community_id from new_zones) as c),
    (select array_agg(geom) from (select geom from old_zones union all select geom from new_zones) as g),
    (select array_agg(id) from (select id from old_zones union select id from new_zones) as z));
  return null;
end
$$;
create function safegrid_zones_deleted() returns trigger language plpgsql as $$
begin
  perform safegrid_rezone((select array_agg(distinct community_id) from old_zones), (select array_agg(geom) from old_zones), (select array_agg(id) from old_zones));
  return null;
end
$$;
create trigger grid_zones_rezone_inserted after insert on grid_zones
  referencing new table as new_zones for each statement execute function safegrid_zones_inserted();
create trigger grid_zones_rezone_updated after update on grid_zones
  referencing old table as old_zones new table as new_zones for each statement execute function safegrid_zones_updated();
create trigger grid_zones_rezone_deleted after delete on grid_zones
  referencing old table as old_zones for each statement execute function safegrid_zones_deleted();

-- Placing buildings in zones again updates their rows; on update, the route reach (00004) is now
-- recomputed only for buildings whose metric footprint changed, instead of every updated row.
create function safegrid_buildings_reach_moved() returns trigger language plpgsql as $$
begin
  delete from route_reach_buildings as rb
  using changed as b join old_buildings as o on o.community_id = b.community_id and o.id = b.id
  where rb.community_id = b.community_id and rb.building_id = b.id and b.geom_m is distinct from o.geom_m;
  insert into route_reach_buildings (community_id, route_id, building_id)
  select b.community_id, r.id, b.id
  from changed as b
  join old_buildings as o on o.community_id = b.community_id and o.id = b.id and b.geom_m is distinct from o.geom_m
  join patrol_routes as r on r.community_id = b.community_id and ST_Expand(r.geom_m, r.reach_m) && b.geom_m and ST_DWithin(b.geom_m, r.geom_m, r.reach_m);
  return null;
end
$$;
drop trigger buildings_reach_updated on buildings;
create trigger buildings_reach_updated after update on buildings
  referencing old table as old_buildings new table as changed for each statement execute function safegrid_buildings_reach_moved();

-- The zones of what exists now.
update buildings set zone_id = safegrid_zone_of(community_id, geom);
update incidents set zone_id = safegrid_zone_containing(community_id, geom);
create index buildings_zone_idx on buildings (community_id, zone_id);
create index incidents_zone_idx on incidents (community_id, zone_id);
