-- 00004 route reach, kept up to date instead of measured on every request: each patrol route's line
-- and reach buffer in the community's metric CRS, and which buildings lie within its reach. Triggers
-- keep them when routes, buildings or a community's metric CRS change, so coverage joins what is
-- stored, and editing one route costs that route's look-up rather than a recomputation of the whole
-- network. "Within reach" is as DESIGN.md defines it: ST_DWithin(footprint, route, reach_m) in metres.

alter table patrol_routes add column geom_m geometry(LineString);
alter table patrol_routes add column reach_geom_m geometry;
comment on column patrol_routes.geom_m is 'geom in the community''s metric CRS, kept by trigger';
comment on column patrol_routes.reach_geom_m is 'ST_Buffer(geom_m, reach_m): the area the route covers, kept by trigger';

create function safegrid_set_route_reach() returns trigger language plpgsql as $$
begin
  new.geom_m := ST_Transform(new.geom, (select metric_srid from communities where id = new.community_id));
  new.reach_geom_m := ST_Buffer(new.geom_m, new.reach_m);
  return new;
end
$$;
create trigger patrol_routes_reach before insert or update of geom, reach_m, community_id on patrol_routes
  for each row execute function safegrid_set_route_reach();

create table route_reach_buildings (
  community_id text not null,
  route_id     bigint not null,
  building_id  bigint not null,
  primary key (community_id, route_id, building_id),
  foreign key (community_id, route_id) references patrol_routes (community_id, id) on delete cascade,
  foreign key (community_id, building_id) references buildings (community_id, id) on delete cascade
);
create index route_reach_buildings_building_idx on route_reach_buildings (community_id, building_id);
comment on table route_reach_buildings is 'buildings within reach_m of each patrol route (kept by triggers on patrol_routes and buildings)';

-- Routes whose reach area may hold a building, found through this index.
create index patrol_routes_reach_gix on patrol_routes using gist (ST_Expand(geom_m, reach_m));

-- Set-based (statement triggers over transition tables), so loading a million buildings or a
-- thousand routes costs one join, not one query per row.
create function safegrid_routes_reach_changed() returns trigger language plpgsql as $$
begin
  delete from route_reach_buildings as rb using changed as r where rb.community_id = r.community_id and rb.route_id = r.id;
  insert into route_reach_buildings (community_id, route_id, building_id)
  select r.community_id, r.id, b.id
  from changed as r
  join buildings as b on b.community_id = r.community_id and b.geom_m && ST_Expand(r.geom_m, r.reach_m) and ST_DWithin(b.geom_m, r.geom_m, r.reach_m);
  return null;
end
$$;
create trigger patrol_routes_reach_inserted after insert on patrol_routes
  referencing new table as changed for each statement execute function safegrid_routes_reach_changed();
create trigger patrol_routes_reach_updated after update on patrol_routes
  referencing new table as changed for each statement execute function safegrid_routes_reach_changed();

create function safegrid_buildings_reach_changed() returns trigger language plpgsql as $$
begin
  delete from route_reach_buildings as rb using changed as b where rb.community_id = b.community_id and rb.building_id = b.id;
  insert into route_reach_buildings (community_id, route_id, building_id)
  select b.community_id, r.id, b.id
  from changed as b
  join patrol_routes as r on r.community_id = b.community_id and ST_Expand(r.geom_m, r.reach_m) && b.geom_m and ST_DWithin(b.geom_m, r.geom_m, r.reach_m);
  return null;
end
$$;
create trigger buildings_reach_inserted after insert on buildings
  referencing new table as changed for each statement execute function safegrid_buildings_reach_changed();
create trigger buildings_reach_updated after update on buildings
  referencing new table as changed for each statement execute function safegrid_buildings_reach_changed();

-- A community's new metric CRS: metric copies of incidents and buildings (as in 00002), and now
-- routes too; the triggers above then recompute every reach.
create or replace function safegrid_community_srid_changed() returns trigger language plpgsql as $$
begin
  update incidents set geom_m = ST_Transform(geom, new.metric_srid) where community_id = new.id;
  update buildings set geom_m = ST_Transform(geom, new.metric_srid) where community_id = new.id;
  update patrol_routes set geom = geom where community_id = new.id;
  return new;
end
$$;

update patrol_routes set geom = geom;
alter table patrol_routes alter column geom_m set not null;
alter table patrol_routes alter column reach_geom_m set not null;
