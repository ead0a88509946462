-- 00008 planning: every row a planner edits carries a version (If-Match on PATCH/DELETE; 409 when
-- someone else changed it meanwhile), and a patrol team has a contact phone and may be stood down.
alter table patrol_teams add column version integer not null default 1 check (version >= 1);
alter table patrol_teams add column phone text check (length(phone) <= 40);
alter table patrol_teams add column active boolean not null default true;
alter table captains add column version integer not null default 1 check (version >= 1);
alter table patrol_shifts add column version integer not null default 1 check (version >= 1);
comment on column patrol_teams.phone is 'the team''s contact phone (personal data: staff roles only)';

-- A building has one captain: assigning it to a captain takes it from any other.
create unique index captain_buildings_one_captain on captain_buildings (community_id, building_id);
