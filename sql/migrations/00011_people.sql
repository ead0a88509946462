-- 00011 the people side of the programme (issue 12): dispute screening and mediation, escalations
-- and petitions, key problems (分片包干) and care files (帮教档案).
--
-- Disputes move to the issue's model: kind (neighbour, family, property, labour, contract, other,
-- the old finer kind kept as `topic`), how it was found, where (a point, and a building when known;
-- the zone is stored and kept by triggers as for incidents: the zone with the lowest id containing
-- the point), parties (names and contact), the mediator, and a lifecycle
-- reported → mediating → agreed | failed | referred, with the level that handled it and the date
-- of each step. Existing rows are carried forward: resolved/success → agreed, escalated → referred
-- (to the street), reported/mediating stay (a mediating one started on the day it was reported).

-- 1. Disputes.
alter table disputes drop constraint if exists disputes_check;
alter table disputes drop constraint if exists disputes_check1;
alter table disputes drop constraint if exists disputes_status_check;
alter table disputes drop constraint if exists disputes_resolved_at_check;
alter table disputes drop constraint if exists disputes_outcome_check;

alter table disputes add column topic text check (topic is null or length(topic) between 1 and 100);
alter table disputes add column found_how text check (found_how in ('screening', 'captain_report', 'walk_in', 'police_referral', 'hotline'));
alter table disputes add column description text check (description is null or length(description) between 1 and 2000);
alter table disputes add column parties jsonb not null default '[]' check (jsonb_typeof(parties) = 'array' and jsonb_array_length(parties) <= 20);
alter table disputes add column mediator text check (mediator is null or length(mediator) between 1 and 200);
alter table disputes add column level text check (level in ('building', 'grid', 'community', 'street', 'judicial'));
alter table disputes add column mediation_started_at timestamptz;
alter table disputes add column ended_at timestamptz;
alter table disputes add column zone_id bigint;
alter table disputes add column version integer not null default 1 check (version >= 1);
alter table disputes add column created_at timestamptz not null default now();
alter table disputes add column updated_at timestamptz not null default now();

update disputes set topic = kind,
  kind = case kind when 'family' then 'family' when 'property' then 'property' when 'rent' then 'property'
                   when 'labour' then 'labour' when 'contract' then 'contract' when 'other' then 'other' else 'neighbour' end;
update disputes set
  status = case status when 'resolved' then case when outcome = 'failed' then 'failed' else 'agreed' end
                       when 'escalated' then 'referred' else status end,
  mediation_started_at = case when status in ('mediating', 'resolved', 'escalated') then reported_at end,
  ended_at = case when status in ('resolved', 'escalated') then coalesce(resolved_at, reported_at) end,
  level = case when status = 'escalated' then 'street' when status = 'resolved' then 'community' end;
alter table disputes drop column resolved_at;
alter table disputes drop column outcome;

alter table disputes add constraint disputes_kind_check check (kind in ('neighbour', 'family', 'property', 'labour', 'contract', 'other'));
alter table disputes add constraint disputes_status_check check (status in ('reported', 'mediating', 'agreed', 'failed', 'referred'));
-- the date of each step: mediation starts no earlier than the report, ends no earlier than it started
alter table disputes add constraint disputes_steps_check check (
  (status = 'reported' and mediation_started_at is null and ended_at is null)
  or (status = 'mediating' and mediation_started_at is not null and ended_at is null and level is not null)
  or (status in ('agreed', 'failed') and mediation_started_at is not null and ended_at is not null and level is not null)
  or (status = 'referred' and ended_at is not null and level in ('street', 'judicial')));
alter table disputes add constraint disputes_dates_check check (
  (mediation_started_at is null or mediation_started_at >= reported_at)
  and (ended_at is null or ended_at >= coalesce(mediation_started_at, reported_at)));
comment on column disputes.parties is 'the parties: [{ name, contact }] (personal data: admins and mediators only)';
comment on column disputes.level is 'the level handling it: building (captain), grid, community (people''s mediation committee), street, judicial';
comment on column disputes.zone_id is 'safegrid_zone_containing(point), kept by triggers on disputes and grid_zones';

create function safegrid_set_dispute_zone() returns trigger language plpgsql as $$
begin
  new.zone_id := safegrid_zone_containing(new.community_id, new.geom);
  return new;
end
$$;
create trigger disputes_zone before insert or update of geom, community_id on disputes
  for each row execute function safegrid_set_dispute_zone();

-- When zones change, disputes are placed again (as safegrid_rezone does for incidents).
create function safegrid_rezone_disputes() returns trigger language plpgsql as $$
begin
  update disputes as d set zone_id = safegrid_zone_containing(d.community_id, d.geom)
  where d.zone_id is distinct from safegrid_zone_containing(d.community_id, d.geom)
    and d.community_id in (select community_id from changed_zones);
  return null;
end
$$;
create trigger grid_zones_disputes_inserted after insert on grid_zones
  referencing new table as changed_zones for each statement execute function safegrid_rezone_disputes();
create trigger grid_zones_disputes_updated after update on grid_zones
  referencing new table as changed_zones for each statement execute function safegrid_rezone_disputes();
create trigger grid_zones_disputes_deleted after delete on grid_zones
  referencing old table as changed_zones for each statement execute function safegrid_rezone_disputes();

update disputes set zone_id = safegrid_zone_containing(community_id, geom);
create index disputes_zone_idx on disputes (community_id, zone_id);
create index disputes_reported_idx on disputes (community_id, reported_at);

-- Follow-up visits after an agreement: did it hold?
create table dispute_follow_ups (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  dispute_id   bigint not null,
  visited_on   date not null,
  held         boolean not null,
  visitor      text check (visitor is null or length(visitor) between 1 and 200),
  notes        text check (notes is null or length(notes) between 1 and 2000),
  created_at   timestamptz not null default now(),
  is_sample    boolean not null default false,
  primary key (community_id, id),
  foreign key (community_id, dispute_id) references disputes (community_id, id) on delete cascade
);
create index dispute_follow_ups_dispute_idx on dispute_follow_ups (community_id, dispute_id);

-- Escalations beyond the community (越级) and petitions (上访): records of their own, linked to a
-- dispute or not; one without a dispute names its zone (or none).
create table dispute_escalations (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  kind         text not null check (kind in ('escalation', 'petition')),
  dispute_id   bigint,
  zone_id      bigint,
  occurred_at  timestamptz not null,
  reached      text check (reached in ('street', 'district', 'city', 'province', 'national')),
  notes        text check (notes is null or length(notes) between 1 and 2000),
  created_at   timestamptz not null default now(),
  is_sample    boolean not null default false,
  primary key (community_id, id),
  foreign key (community_id, dispute_id) references disputes (community_id, id) on delete set null (dispute_id),
  foreign key (community_id, zone_id) references grid_zones (community_id, id) on delete set null (zone_id)
);
create index dispute_escalations_time_idx on dispute_escalations (community_id, occurred_at);
comment on column dispute_escalations.zone_id is 'the zone of an escalation not linked to a dispute (a linked one counts in its dispute''s zone)';

-- How long a dispute may stay open before it is flagged (early warning), per community.
alter table communities add column dispute_deadline_days integer not null default 30 check (dispute_deadline_days between 1 and 365);

-- 2. Key problems (分片包干): a place (a zone, a building or a drawn area), an owner (a user or a
-- grid worker, by name) and helpers, a deadline, dated progress notes and a status.
create table problems (
  community_id  text not null references communities (id) on delete cascade,
  id            bigint generated always as identity,
  title         text not null check (length(title) between 1 and 200),
  titles        jsonb not null default '{}' check (safegrid_names_valid(titles)),
  place_zone_id bigint,
  building_id   bigint,
  area          geometry(MultiPolygon, 4326) check (area is null or (ST_IsValid(area) and not ST_IsEmpty(area))),
  owner_user_id bigint references users (id) on delete set null,
  owner_name    text not null check (length(owner_name) between 1 and 200),
  helpers       jsonb not null default '[]' check (jsonb_typeof(helpers) = 'array' and jsonb_array_length(helpers) <= 50),
  deadline      date,
  status        text not null default 'open' check (status in ('open', 'in_progress', 'done', 'dropped')),
  closed_on     date,
  version       integer not null default 1 check (version >= 1),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  is_sample     boolean not null default false,
  primary key (community_id, id),
  foreign key (community_id, place_zone_id) references grid_zones (community_id, id) on delete set null (place_zone_id),
  foreign key (community_id, building_id) references buildings (community_id, id) on delete set null (building_id),
  check (num_nonnulls(place_zone_id, building_id, area) <= 1)
);
comment on column problems.titles is 'the title per language (zh, en); `title` is the fallback';

create table problem_notes (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  problem_id   bigint not null,
  noted_on     date not null,
  text         text not null check (length(text) between 1 and 2000),
  author       text,
  created_at   timestamptz not null default now(),
  is_sample    boolean not null default false,
  primary key (community_id, id),
  foreign key (community_id, problem_id) references problems (community_id, id) on delete cascade
);
create index problem_notes_problem_idx on problem_notes (community_id, problem_id);

-- 3. Care files (帮教档案): the most sensitive records — admins and the care role only, every read
-- audited, never in layers, tiles, search or exports; others see counts per zone of 3 or more.
create table care_files (
  community_id  text not null references communities (id) on delete cascade,
  id            bigint generated always as identity,
  person_name   text not null check (length(person_name) between 1 and 200),
  building_id   bigint,
  address       text check (address is null or length(address) between 1 and 300),
  helpers       jsonb not null default '[]' check (jsonb_typeof(helpers) = 'array' and jsonb_array_length(helpers) <= 20),
  period_start  date not null,
  period_end    date check (period_end is null or period_end >= period_start),
  difficulties  text check (difficulties is null or length(difficulties) between 1 and 2000),
  help_given    text check (help_given is null or length(help_given) between 1 and 2000),
  risk_level    text not null check (risk_level in ('low', 'medium', 'high')),
  version       integer not null default 1 check (version >= 1),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  is_sample     boolean not null default false,
  primary key (community_id, id),
  foreign key (community_id, building_id) references buildings (community_id, id) on delete set null (building_id)
);

create table care_visits (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  care_file_id bigint not null,
  visited_on   date not null,
  visitor      text not null check (length(visitor) between 1 and 200),
  notes        text check (notes is null or length(notes) between 1 and 2000),
  created_at   timestamptz not null default now(),
  is_sample    boolean not null default false,
  primary key (community_id, id),
  foreign key (community_id, care_file_id) references care_files (community_id, id) on delete cascade
);
create index care_visits_file_idx on care_visits (community_id, care_file_id);
