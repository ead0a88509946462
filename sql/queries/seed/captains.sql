-- seed/captains: sample building captains and the buildings they look after ($2, SampleCaptain[]) for
-- community $1; buildings are matched by footprint source id (source $3).
with captain as (
  insert into captains (community_id, name, names, phone, active, source, source_id, is_sample)
  select $1, c ->> 'name', coalesce(c -> 'names', '{}'), c ->> 'phone', (c ->> 'active')::boolean, 'sample', c ->> 'key', true
  from jsonb_array_elements($2::jsonb) as c
  on conflict do nothing
  returning id, source_id
)
insert into captain_buildings (community_id, captain_id, building_id)
select $1, captain.id, b.id
from captain
join jsonb_array_elements($2::jsonb) as c on c ->> 'key' = captain.source_id
cross join lateral jsonb_array_elements_text(c -> 'buildings') as building_source_id
join buildings as b on b.community_id = $1 and b.source = $3 and b.source_id = building_source_id
on conflict do nothing
