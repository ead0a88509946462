-- 00009 tile facts (issue 16): what a building's tile and layer properties need beyond its own row,
-- kept by triggers instead of computed for every building of every tile — as route reach is (00004):
--   * building_facts.captain_id: the lowest-id active captain looking after the building (the
--     buildings layer's captained / captainId / captainName);
--   * building_facts.incidents_near: incidents (all dates, every category) within 25 m
--     (BUILDING_INCIDENT_RADIUS_M in the contract) of the footprint, in the community's metric CRS —
--     ST_DWithin on geom_m, which is the ST_Transform to metric_srid that the layer measured with.
-- and tile_data_versions: a number per community that changes, in the same transaction, with every
-- change of a table whose rows a tile shows (buildings, captains and their buildings, zones,
-- incidents, streets, the community itself), so the server can keep encoded tiles keyed by it.
-- (Numbered 00009: 00008 is issue 16's KDE/bands migration, written alongside.)

create table building_facts (
  community_id   text not null,
  building_id    bigint not null,
  captain_id     bigint,
  incidents_near integer not null default 0,
  primary key (community_id, building_id),
  foreign key (community_id, building_id) references buildings (community_id, id) on delete cascade
);
comment on table building_facts is 'per building: its active captain (lowest id) and the incidents within 25 m; kept by triggers on buildings, incidents, captains and captain_buildings';

-- The captain of a building, as the buildings layer chose it: the lowest id of its active captains.
-- (Each captain looked up by its primary key: inside a load, before captains have statistics, a join
-- was planned as a scan of the community's captains per building.)
create function safegrid_captain_of(p_community text, p_building bigint) returns bigint
language sql stable
return (
  select min(cb.captain_id) from captain_buildings as cb
  where cb.community_id = p_community and cb.building_id = p_building
    and (select c.active from captains as c where c.community_id = cb.community_id and c.id = cb.captain_id));

-- Incidents within 25 m of a metric footprint.
create function safegrid_incidents_near(p_community text, p_geom_m geometry) returns integer
language sql stable
return (
  select count(*)::int from incidents as i
  where i.community_id = p_community and i.geom_m && ST_Expand(p_geom_m, 25) and ST_DWithin(i.geom_m, p_geom_m, 25));

-- Buildings: facts of new buildings, and recounted when a footprint moves (or the metric CRS changes).
create function safegrid_facts_buildings_inserted() returns trigger language plpgsql as $$
begin
  insert into building_facts (community_id, building_id, captain_id, incidents_near)
  select b.community_id, b.id, safegrid_captain_of(b.community_id, b.id), safegrid_incidents_near(b.community_id, b.geom_m)
  from changed as b;
  return null;
end
$$;
create trigger buildings_facts_inserted after insert on buildings
  referencing new table as changed for each statement execute function safegrid_facts_buildings_inserted();

create function safegrid_facts_buildings_updated() returns trigger language plpgsql as $$
begin
  update building_facts as f set incidents_near = safegrid_incidents_near(b.community_id, b.geom_m)
  from changed as b join old_buildings as o on o.community_id = b.community_id and o.id = b.id
  where f.community_id = b.community_id and f.building_id = b.id and b.geom_m is distinct from o.geom_m;
  return null;
end
$$;
create trigger buildings_facts_updated after update on buildings
  referencing old table as old_buildings new table as changed for each statement execute function safegrid_facts_buildings_updated();

-- Incidents: add or take away one per building within 25 m (set-based: an import of 100,000
-- incidents is one join). Updates count only the incidents whose point moved.
create function safegrid_facts_incidents_inserted() returns trigger language plpgsql as $$
begin
  update building_facts as f set incidents_near = f.incidents_near + d.n
  from (
    select b.community_id, b.id, count(*)::int as n
    from changed as i
    join buildings as b on b.community_id = i.community_id and b.geom_m && ST_Expand(i.geom_m, 25) and ST_DWithin(i.geom_m, b.geom_m, 25)
    group by 1, 2
  ) as d
  where f.community_id = d.community_id and f.building_id = d.id;
  return null;
end
$$;
create trigger incidents_facts_inserted after insert on incidents
  referencing new table as changed for each statement execute function safegrid_facts_incidents_inserted();

create function safegrid_facts_incidents_deleted() returns trigger language plpgsql as $$
begin
  update building_facts as f set incidents_near = f.incidents_near - d.n
  from (
    select b.community_id, b.id, count(*)::int as n
    from changed as i
    join buildings as b on b.community_id = i.community_id and b.geom_m && ST_Expand(i.geom_m, 25) and ST_DWithin(i.geom_m, b.geom_m, 25)
    group by 1, 2
  ) as d
  where f.community_id = d.community_id and f.building_id = d.id;
  return null;
end
$$;
create trigger incidents_facts_deleted after delete on incidents
  referencing old table as changed for each statement execute function safegrid_facts_incidents_deleted();

create function safegrid_facts_incidents_updated() returns trigger language plpgsql as $$
begin
  update building_facts as f set incidents_near = f.incidents_near + d.n
  from (
    select b.community_id, b.id, sum(m.sign)::int as n
    from (
      select o.community_id, o.geom_m, -1 as sign from old_incidents as o join changed as i on i.community_id = o.community_id and i.id = o.id
      where i.geom_m is distinct from o.geom_m
      union all
      select i.community_id, i.geom_m, 1 from changed as i join old_incidents as o on i.community_id = o.community_id and i.id = o.id
      where i.geom_m is distinct from o.geom_m or i.community_id is distinct from o.community_id
    ) as m
    join buildings as b on b.community_id = m.community_id and b.geom_m && ST_Expand(m.geom_m, 25) and ST_DWithin(m.geom_m, b.geom_m, 25)
    group by 1, 2
  ) as d
  where f.community_id = d.community_id and f.building_id = d.id and d.n <> 0;
  return null;
end
$$;
create trigger incidents_facts_updated after update on incidents
  referencing old table as old_incidents new table as changed for each statement execute function safegrid_facts_incidents_updated();

-- Captains: the captain of every building whose links, or whose captains' active state, changed —
-- set-based (joins, not a look-up per building: loading a city's links inside one transaction, before
-- any statistics, a look-up was planned as a scan of all the community's links).
create function safegrid_facts_links_changed() returns trigger language plpgsql as $$
begin
  update building_facts as f set captain_id = n.captain_id
  from (
    select l.community_id, l.building_id, min(c.id) as captain_id
    from (select distinct community_id, building_id from changed) as l
    left join captain_buildings as cb on cb.community_id = l.community_id and cb.building_id = l.building_id
    left join captains as c on c.community_id = cb.community_id and c.id = cb.captain_id and c.active
    group by 1, 2
  ) as n
  where f.community_id = n.community_id and f.building_id = n.building_id and f.captain_id is distinct from n.captain_id;
  return null;
end
$$;
create trigger captain_buildings_facts_inserted after insert on captain_buildings
  referencing new table as changed for each statement execute function safegrid_facts_links_changed();
create trigger captain_buildings_facts_deleted after delete on captain_buildings
  referencing old table as changed for each statement execute function safegrid_facts_links_changed();

create function safegrid_facts_links_updated() returns trigger language plpgsql as $$
begin
  update building_facts as f set captain_id = n.captain_id
  from (
    select l.community_id, l.building_id, min(c.id) as captain_id
    from (select community_id, building_id from changed union select community_id, building_id from old_links) as l
    left join captain_buildings as cb on cb.community_id = l.community_id and cb.building_id = l.building_id
    left join captains as c on c.community_id = cb.community_id and c.id = cb.captain_id and c.active
    group by 1, 2
  ) as n
  where f.community_id = n.community_id and f.building_id = n.building_id and f.captain_id is distinct from n.captain_id;
  return null;
end
$$;
create trigger captain_buildings_facts_updated after update on captain_buildings
  referencing old table as old_links new table as changed for each statement execute function safegrid_facts_links_updated();

-- (A deleted captain takes its links with it: the trigger on captain_buildings sees them go.)
create function safegrid_facts_captains_updated() returns trigger language plpgsql as $$
begin
  update building_facts as f set captain_id = n.captain_id
  from (
    select l.community_id, l.building_id, min(c.id) as captain_id
    from (select distinct cb.community_id, cb.building_id
          from changed as k
          join old_captains as o on o.community_id = k.community_id and o.id = k.id and o.active is distinct from k.active
          join captain_buildings as cb on cb.community_id = k.community_id and cb.captain_id = k.id) as l
    left join captain_buildings as cb on cb.community_id = l.community_id and cb.building_id = l.building_id
    left join captains as c on c.community_id = cb.community_id and c.id = cb.captain_id and c.active
    group by 1, 2
  ) as n
  where f.community_id = n.community_id and f.building_id = n.building_id and f.captain_id is distinct from n.captain_id;
  return null;
end
$$;
create trigger captains_facts_updated after update on captains
  referencing old table as old_captains new table as changed for each statement execute function safegrid_facts_captains_updated();

-- The facts of what exists now.
insert into building_facts (community_id, building_id, captain_id, incidents_near)
select b.community_id, b.id, safegrid_captain_of(b.community_id, b.id), safegrid_incidents_near(b.community_id, b.geom_m)
from buildings as b;

-- Tile data versions. A new value (from one sequence, so a value is never reused) for every
-- community a statement touched; tiles cached under an older value are never served again.
create sequence tile_data_version_seq;
create table tile_data_versions (
  community_id text primary key,
  version      bigint not null
);
comment on table tile_data_versions is 'per community, changes with every change of the rows its tiles show (kept by triggers); the key of cached tiles';

create function safegrid_bump_tile_version(p_communities text[]) returns void language sql as $$
  insert into tile_data_versions as v (community_id, version)
  select c, nextval('tile_data_version_seq') from (select distinct unnest(p_communities) as c order by 1) as s
  where c is not null
  on conflict (community_id) do update set version = excluded.version
$$;

create function safegrid_tiles_changed() returns trigger language plpgsql as $$
begin
  perform safegrid_bump_tile_version(array(select distinct community_id from changed));
  return null;
end
$$;
create function safegrid_tiles_updated() returns trigger language plpgsql as $$
begin
  perform safegrid_bump_tile_version(array(select community_id from changed union select community_id from old_rows));
  return null;
end
$$;
create function safegrid_tiles_truncated() returns trigger language plpgsql as $$
begin
  update tile_data_versions set version = nextval('tile_data_version_seq');
  return null;
end
$$;

do $$
declare t text;
begin
  foreach t in array array['buildings', 'captains', 'captain_buildings', 'grid_zones', 'incidents', 'streets'] loop
    execute format('create trigger %I after insert on %I referencing new table as changed for each statement execute function safegrid_tiles_changed()', t || '_tiles_inserted', t);
    execute format('create trigger %I after delete on %I referencing old table as changed for each statement execute function safegrid_tiles_changed()', t || '_tiles_deleted', t);
    execute format('create trigger %I after update on %I referencing old table as old_rows new table as changed for each statement execute function safegrid_tiles_updated()', t || '_tiles_updated', t);
    execute format('create trigger %I after truncate on %I for each statement execute function safegrid_tiles_truncated()', t || '_tiles_truncated', t);
  end loop;
end
$$;

-- A community's own row (its time zone and metric CRS shape its tiles' properties).
create function safegrid_tiles_community_changed() returns trigger language plpgsql as $$
begin
  perform safegrid_bump_tile_version(array[case when tg_op = 'DELETE' then old.id else new.id end, case when tg_op = 'UPDATE' then old.id end]);
  return null;
end
$$;
create trigger communities_tiles_changed after insert or update or delete on communities
  for each row execute function safegrid_tiles_community_changed();
