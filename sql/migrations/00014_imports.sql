-- 00014 imports (issue 10): every import of a community's own file is recorded — who, when, which
-- file into which layer, and what it did — and geometry from a file is read without ever failing a
-- transaction: a malformed GeoJSON or WKT value, or a coordinate a projection cannot take, becomes
-- null, which the importer reports for that row.

create table imports (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  at           timestamptz not null default now(),
  user_id      bigint references users (id) on delete set null,
  username     text,
  file_name    text check (file_name is null or length(file_name) <= 255),
  layer        text not null,
  format       text not null,
  crs          text not null,
  encoding     text,
  source       text not null,
  rows_read    integer not null check (rows_read >= 0),
  rows_valid   integer not null check (rows_valid >= 0),
  inserted     integer not null check (inserted >= 0),
  updated      integer not null check (updated >= 0),
  unchanged    integer not null check (unchanged >= 0),
  primary key (community_id, id)
);
create index imports_at_idx on imports (community_id, at);
comment on table imports is 'confirmed imports of files into a community''s layers (dry runs are not recorded)';

-- A geometry from a file: GeoJSON ('geojson') or WKT ('wkt') text in `srid`, in EPSG:4326; null
-- when the text is not a geometry or cannot be transformed. The exception block makes each call
-- a subtransaction, so one bad value never aborts the import's transaction.
create function safegrid_import_geometry(kind text, value text, srid integer)
returns geometry
language plpgsql stable parallel safe
as $$
declare
  g geometry;
begin
  if value is null then return null; end if;
  if kind = 'geojson' then g := ST_GeomFromGeoJSON(value);
  elsif kind = 'wkt' then g := ST_GeomFromText(value);
  else return null;
  end if;
  if g is null then return null; end if;
  g := ST_SetSRID(g, srid);
  if srid <> 4326 then g := ST_Transform(g, 4326); end if;
  return g;
exception when others then
  return null;
end
$$;
comment on function safegrid_import_geometry(text, text, integer) is 'a geometry from GeoJSON or WKT text in srid, as EPSG:4326; null when unreadable or not transformable';
