-- 00002 metric geometry: incidents and buildings keep a copy of their geometry in the community's
-- metric CRS (communities.metric_srid), kept by triggers, so analyses bin, buffer and measure in
-- true metres without transforming every row on every request.

alter table incidents add column geom_m geometry(Point);
alter table buildings add column geom_m geometry(MultiPolygon);

create function safegrid_set_geom_m() returns trigger language plpgsql as $$
begin
  new.geom_m := ST_Transform(new.geom, (select metric_srid from communities where id = new.community_id));
  return new;
end
$$;
comment on function safegrid_set_geom_m() is 'keeps geom_m = geom in the metric CRS of the row''s community';

create trigger incidents_geom_m before insert or update of geom, community_id on incidents
  for each row execute function safegrid_set_geom_m();
create trigger buildings_geom_m before insert or update of geom, community_id on buildings
  for each row execute function safegrid_set_geom_m();

create function safegrid_community_srid_changed() returns trigger language plpgsql as $$
begin
  update incidents set geom_m = ST_Transform(geom, new.metric_srid) where community_id = new.id;
  update buildings set geom_m = ST_Transform(geom, new.metric_srid) where community_id = new.id;
  return new;
end
$$;
create trigger communities_metric_srid after update of metric_srid on communities
  for each row when (old.metric_srid is distinct from new.metric_srid) execute function safegrid_community_srid_changed();

update incidents as i set geom_m = ST_Transform(i.geom, c.metric_srid) from communities as c where c.id = i.community_id;
update buildings as b set geom_m = ST_Transform(b.geom, c.metric_srid) from communities as c where c.id = b.community_id;
alter table incidents alter column geom_m set not null;
alter table buildings alter column geom_m set not null;
create index incidents_geom_m_gix on incidents using gist (geom_m);
create index buildings_geom_m_gix on buildings using gist (geom_m);
