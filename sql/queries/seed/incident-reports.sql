-- seed/incident-reports: SFPD incident reports with local wall-clock times ($2, rows of
-- { source_id, incident_number, occurred_at 'YYYY-MM-DDTHH:MI' local, category (already mapped),
-- description, lon, lat }) for community $1, source $3. One incident per case: supplemental
-- reports carry their own report id but the case's incident number, so the first report of each
-- incident number (earliest, then lowest report id) stands for the case, keyed by that number.
-- SFPD writes 00:00 for an unknown time: such reports count by date, never by hour. The export's
-- box reaches beyond the community: only reports inside its boundary are its incidents.
insert into incidents (community_id, category, description, occurred_at, time_known, geom, status, source, source_id)
select c.id, r ->> 'category', r ->> 'description',
       (r ->> 'occurred_at')::timestamp at time zone c.time_zone,
       (r ->> 'occurred_at')::timestamp::time <> '00:00',
       ST_SetSRID(ST_MakePoint((r ->> 'lon')::float8, (r ->> 'lat')::float8), 4326), null, $3, r ->> 'incident_number'
from communities as c
cross join lateral (
  select distinct on (x ->> 'incident_number') x as r
  from jsonb_array_elements($2::jsonb) as x
  order by x ->> 'incident_number', (x ->> 'occurred_at')::timestamp, (x ->> 'source_id')::bigint
) as first_report
where c.id = $1
  and ST_Intersects(c.boundary, ST_SetSRID(ST_MakePoint((r ->> 'lon')::float8, (r ->> 'lat')::float8), 4326))
on conflict do nothing
