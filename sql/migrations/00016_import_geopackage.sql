-- GeoPackage import (issue 10): a geometry may come as WKB (hex text), what a GeoPackage holds after
-- its small header; and every geometry is made two-dimensional on the way in (GeoPackages, GeoJSON
-- and WKT from GIS tools often carry heights, which the layers' columns do not).
create or replace function safegrid_import_geometry(kind text, value text, srid integer)
returns geometry
language plpgsql stable parallel safe
as $$
declare
  g geometry;
begin
  if value is null then return null; end if;
  if kind = 'geojson' then g := ST_GeomFromGeoJSON(value);
  elsif kind = 'wkt' then g := ST_GeomFromText(value);
  elsif kind = 'wkb' then g := ST_GeomFromWKB(decode(value, 'hex'));
  else return null;
  end if;
  if g is null then return null; end if;
  g := ST_Force2D(ST_SetSRID(g, srid));
  if srid <> 4326 then g := ST_Transform(g, 4326); end if;
  return g;
exception when others then
  return null;
end
$$;
comment on function safegrid_import_geometry(text, text, integer) is 'a geometry from GeoJSON, WKT or WKB (hex) text in srid, two-dimensional, as EPSG:4326; null when unreadable or not transformable';
