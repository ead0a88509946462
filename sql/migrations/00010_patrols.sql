-- 00010 patrols (issue 11): the people of a patrol team, which shifts they usually walk, the log of
-- patrols actually done, and the link from a revert to the change it reverts.
--
-- * team_members: a team's volunteers, guards, officers or grid workers — name (and its forms per
--   language, as 00007), phone (personal data: roles with the `phones` capability only), active —
--   edited through the planning API like the rest of the networks (a `version`).
--   patrol_teams.members stays the team's declared headcount (a police foot beat may list none of its
--   officers); the number of listed members is counted from team_members, never stored twice.
-- * team_member_shifts: the shifts a member usually walks (the weekly roster); removed with either.
-- * patrol_logs: one patrol done — a local date, start and end (end <= start ran past midnight into
--   the next day), the route and team, who was there (team member ids and/or a head count), notes;
--   (community, source, source_id) unique so importing a log twice adds nothing.
-- * audit_log.reverts: a revert is a change of its own that names the entry it reverted.
-- * pgRouting, where the server has it (Debian postgresql-15-pgrouting): routes snapped to the
--   streets follow the street network between clicked points. Without it (and always in PGlite)
--   each clicked point is snapped to the nearest street on its own.

create table team_members (
  community_id text not null,
  id           bigint generated always as identity,
  team_id      bigint not null,
  name         text not null check (length(name) between 1 and 200),
  names        jsonb not null default '{}' check (safegrid_names_valid(names)),
  phone        text check (length(phone) <= 40),
  active       boolean not null default true,
  version      integer not null default 1 check (version >= 1),
  source       text not null default 'manual',
  source_id    text,
  is_sample    boolean not null default false,
  primary key (community_id, id),
  unique (community_id, source, source_id),
  foreign key (community_id, team_id) references patrol_teams (community_id, id) on delete cascade
);
create index team_members_team_idx on team_members (community_id, team_id);
comment on table team_members is 'the people of a patrol team; phone is personal data (roles with the phones capability only)';
comment on column patrol_teams.members is 'the team''s declared headcount; the members listed by name are team_members';

create table team_member_shifts (
  community_id text not null,
  member_id    bigint not null,
  shift_id     bigint not null,
  primary key (community_id, member_id, shift_id),
  foreign key (community_id, member_id) references team_members (community_id, id) on delete cascade,
  foreign key (community_id, shift_id) references patrol_shifts (community_id, id) on delete cascade
);
create index team_member_shifts_shift_idx on team_member_shifts (community_id, shift_id);
comment on table team_member_shifts is 'the shifts a team member usually walks (the weekly roster)';

create table patrol_logs (
  community_id  text not null references communities (id) on delete cascade,
  id            bigint generated always as identity,
  route_id      bigint,
  route_name    text not null,
  team_id       bigint,
  patrol_date   date not null,
  start_time    time not null,
  end_time      time not null check (end_time <> start_time),
  member_ids    bigint[] not null default '{}' check (cardinality(member_ids) <= 200),
  members_count integer not null check (members_count between 0 and 10000 and members_count >= cardinality(member_ids)),
  notes         text check (length(notes) <= 2000),
  source        text not null default 'manual' check (length(source) between 1 and 100),
  source_id     text check (length(source_id) <= 200),
  created_by    bigint references users (id) on delete set null,
  created_by_name text,
  created_at    timestamptz not null default now(),
  primary key (community_id, id),
  unique (community_id, source, source_id),
  foreign key (community_id, route_id) references patrol_routes (community_id, id) on delete set null (route_id),
  foreign key (community_id, team_id) references patrol_teams (community_id, id) on delete set null (team_id)
);
create index patrol_logs_date_idx on patrol_logs (community_id, patrol_date);
create index patrol_logs_route_idx on patrol_logs (community_id, route_id, patrol_date);
comment on table patrol_logs is 'patrols done: local date, start and end (end <= start ran past midnight), route, team, who was there';
comment on column patrol_logs.route_name is 'the route''s name when the patrol was logged (kept when the route is deleted)';
comment on column patrol_logs.member_ids is 'team_members present (ids; a member deleted later stays named here by id only)';

alter table audit_log add column reverts bigint;
comment on column audit_log.reverts is 'for a revert: the id of the audit entry it reverted';

-- pgRouting where it is installed and we may create it; nothing otherwise (PGlite, a server without it).
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pgrouting') then
    create extension if not exists pgrouting;
  end if;
exception when others then
  raise notice 'pgrouting not created: %', sqlerrm;
end
$$;
