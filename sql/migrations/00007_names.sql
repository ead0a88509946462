-- 00007 names per language: a zone, team, route or captain (and a zone's grid worker) keeps its name
-- as the community writes it in `name`, and may have a form in each UI language in `names`
-- ({"zh": "…", "en": "…"}). An answer asked for in a language (`lang` parameter) shows that form,
-- falling back to `name` — so a Chinese office reads Chinese and an English reader English, and
-- a record nobody has translated still has a name.

create function safegrid_names_valid(names jsonb)
returns boolean
language sql immutable parallel safe
return jsonb_typeof(names) = 'object'
  and not exists (
    select 1 from jsonb_each(names) as e
    where e.key not in ('zh', 'en') or jsonb_typeof(e.value) <> 'string' or coalesce(length(names ->> e.key), 0) not between 1 and 200
  );
comment on function safegrid_names_valid(jsonb) is 'names per language: an object of zh/en keys to strings of 1–200 characters';

-- The name to show in `lang` (null: the record's own name).
create function safegrid_name(names jsonb, name text, lang text)
returns text
language sql immutable parallel safe
return coalesce(names ->> lang, name);

alter table patrol_teams add column names jsonb not null default '{}' check (safegrid_names_valid(names));
alter table grid_zones add column names jsonb not null default '{}' check (safegrid_names_valid(names));
alter table grid_zones add column grid_worker_names jsonb not null default '{}' check (safegrid_names_valid(grid_worker_names));
alter table patrol_routes add column names jsonb not null default '{}' check (safegrid_names_valid(names));
alter table captains add column names jsonb not null default '{}' check (safegrid_names_valid(names));
comment on column grid_zones.names is 'the zone''s name per language (zh, en); `name` is the fallback';
comment on column grid_zones.grid_worker_names is 'the grid worker''s name per language (zh, en); `grid_worker` is the fallback';
