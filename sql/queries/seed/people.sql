-- seed/people: the rest of the people-side sample ($2, SamplePeople) for community $1 — follow-up
-- visits, escalations and petitions, key problems with their notes, care files with their visits —
-- unless the community has sample rows of them already. Buildings by footprint source id ($3),
-- zones by code, disputes by key. Answers one row: how many rows it inserted.
with fresh as (select not exists (select 1 from problems where community_id = $1 and is_sample)
                  and not exists (select 1 from care_files where community_id = $1 and is_sample)
                  and not exists (select 1 from dispute_escalations where community_id = $1 and is_sample) as yes),
follow_ups as (
  insert into dispute_follow_ups (community_id, dispute_id, visited_on, held, visitor, notes, is_sample)
  select $1, d.id, (v ->> 'visitedOn')::date, (v ->> 'held')::boolean, v ->> 'visitor', v ->> 'notes', true
  from fresh, jsonb_array_elements($2::jsonb -> 'disputes') as x
  cross join lateral jsonb_array_elements(x -> 'followUps') as v
  join disputes as d on d.community_id = $1 and d.source = 'sample' and d.source_id = x ->> 'key'
  where fresh.yes and not exists (select 1 from dispute_follow_ups as f where f.community_id = $1 and f.is_sample)
  returning 1),
escalations as (
  insert into dispute_escalations (community_id, kind, dispute_id, zone_id, occurred_at, reached, notes, is_sample)
  select $1, e ->> 'kind', d.id, z.id, (e ->> 'occurredAt')::timestamptz, e ->> 'reached', e ->> 'notes', true
  from fresh, jsonb_array_elements($2::jsonb -> 'escalations') as e
  left join disputes as d on d.community_id = $1 and d.source = 'sample' and d.source_id = e ->> 'disputeKey'
  left join grid_zones as z on z.community_id = $1 and z.code = e ->> 'zoneCode'
  where fresh.yes
  returning 1),
problem_rows as (
  insert into problems (community_id, title, titles, place_zone_id, building_id, owner_name, helpers, deadline, status, is_sample)
  select $1, p ->> 'title', p -> 'titles', z.id, b.id, p ->> 'owner', p -> 'helpers', (p ->> 'deadline')::date, p ->> 'status', true
  from fresh, jsonb_array_elements($2::jsonb -> 'problems') with ordinality as x (p, n)
  left join grid_zones as z on z.community_id = $1 and z.code = p ->> 'zoneCode'
  left join buildings as b on b.community_id = $1 and b.source = $3 and b.source_id = p ->> 'buildingSourceId'
  where fresh.yes
  order by x.n
  returning id, title),
notes as (
  insert into problem_notes (community_id, problem_id, noted_on, text, author, is_sample)
  select $1, pr.id, (n ->> 'notedOn')::date, n ->> 'text', p ->> 'owner', true
  from jsonb_array_elements($2::jsonb -> 'problems') as p
  join problem_rows as pr on pr.title = p ->> 'title'
  cross join lateral jsonb_array_elements(p -> 'notes') as n
  returning 1),
care_rows as (
  insert into care_files (community_id, person_name, building_id, helpers, period_start, period_end, difficulties, help_given, risk_level, is_sample)
  select $1, c ->> 'personName', b.id, c -> 'helpers', (c ->> 'periodStart')::date, (c ->> 'periodEnd')::date, c ->> 'difficulties', c ->> 'helpGiven', c ->> 'riskLevel', true
  from fresh, jsonb_array_elements($2::jsonb -> 'careFiles') with ordinality as x (c, n)
  left join buildings as b on b.community_id = $1 and b.source = $3 and b.source_id = c ->> 'buildingSourceId'
  where fresh.yes
  order by x.n
  returning id, person_name),
visits as (
  insert into care_visits (community_id, care_file_id, visited_on, visitor, notes, is_sample)
  select $1, cr.id, (v ->> 'visitedOn')::date, v ->> 'visitor', v ->> 'notes', true
  from jsonb_array_elements($2::jsonb -> 'careFiles') as c
  join care_rows as cr on cr.person_name = c ->> 'personName'
  cross join lateral jsonb_array_elements(c -> 'visits') as v
  returning 1)
select (select count(*) from follow_ups) + (select count(*) from escalations) + (select count(*) from problem_rows) + (select count(*) from notes)
     + (select count(*) from care_rows) + (select count(*) from visits) as inserted
