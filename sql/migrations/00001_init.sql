-- 00001 init: communities and everything that belongs to one (see DESIGN.md, "Data model").
-- Every table carries community_id in its primary and unique keys: it is the distribution column
-- should the schema move to Citus. Geometry is EPSG:4326 with type and SRID fixed by typmod, and
-- must be valid: PGlite's GEOS returns empty results instead of errors on invalid input, so
-- nothing invalid may reach a table.

create extension if not exists postgis;

create table communities (
  id          text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text not null check (length(name) between 1 and 200),
  name_zh     text,
  time_zone   text not null default 'Asia/Shanghai',
  metric_srid integer not null references spatial_ref_sys (srid),
  boundary    geometry(MultiPolygon, 4326) not null check (ST_IsValid(boundary) and not ST_IsEmpty(boundary)),
  created_at  timestamptz not null default now()
);
create index communities_boundary_gix on communities using gist (boundary);
comment on column communities.metric_srid is 'projected CRS in metres (UTM zone of the centre) for buffers, grids and areas';
comment on column communities.time_zone is 'IANA time zone: time-of-day and weekday filters are local time';

create table buildings (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  name         text,
  address      text,
  households   integer check (households >= 0),
  residents    integer check (residents >= 0),
  floors       integer check (floors between 0 and 300),
  geom         geometry(MultiPolygon, 4326) not null check (ST_IsValid(geom) and not ST_IsEmpty(geom)),
  source       text not null default 'manual',
  source_id    text,
  is_sample    boolean not null default false,
  primary key (community_id, id),
  unique (community_id, source, source_id)
);
create index buildings_geom_gix on buildings using gist (geom);
comment on column buildings.is_sample is 'attributes (address, households…) generated for the demo, not surveyed';

create table streets (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  name         text,
  highway      text,
  geom         geometry(LineString, 4326) not null check (ST_IsValid(geom) and not ST_IsEmpty(geom)),
  source       text not null default 'manual',
  source_id    text,
  primary key (community_id, id),
  unique (community_id, source, source_id)
);
create index streets_geom_gix on streets using gist (geom);

create table patrol_teams (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  name         text not null check (length(name) between 1 and 200),
  kind         text not null check (kind in ('volunteer', 'security', 'police', 'grid_worker')),
  members      integer not null default 0 check (members >= 0),
  source       text not null default 'manual',
  source_id    text,
  is_sample    boolean not null default false,
  primary key (community_id, id),
  unique (community_id, name),
  unique (community_id, source, source_id)
);

create table grid_zones (
  community_id   text not null references communities (id) on delete cascade,
  id             bigint generated always as identity,
  code           text not null check (length(code) between 1 and 40),
  name           text not null,
  geom           geometry(MultiPolygon, 4326) not null check (ST_IsValid(geom) and not ST_IsEmpty(geom)),
  grid_worker    text,
  patrol_team_id bigint,
  version        integer not null default 1 check (version >= 1),
  source         text not null default 'manual',
  source_id      text,
  is_sample      boolean not null default false,
  primary key (community_id, id),
  unique (community_id, code),
  unique (community_id, source, source_id),
  foreign key (community_id, patrol_team_id) references patrol_teams (community_id, id) on delete set null (patrol_team_id)
);
create index grid_zones_geom_gix on grid_zones using gist (geom);

create table patrol_routes (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  team_id      bigint not null,
  name         text not null check (length(name) between 1 and 200),
  geom         geometry(LineString, 4326) not null check (ST_IsValid(geom) and not ST_IsEmpty(geom) and ST_Length(geom) > 0),
  reach_m      double precision not null default 100 check (reach_m > 0 and reach_m <= 2000),
  version      integer not null default 1 check (version >= 1),
  source       text not null default 'manual',
  source_id    text,
  is_sample    boolean not null default false,
  primary key (community_id, id),
  unique (community_id, source, source_id),
  foreign key (community_id, team_id) references patrol_teams (community_id, id) on delete cascade
);
create index patrol_routes_geom_gix on patrol_routes using gist (geom);
comment on column patrol_routes.reach_m is 'a route covers what lies within this many metres of it while a shift is on';

-- A shift repeats on the given ISO weekdays (1 = Monday); end_time <= start_time crosses midnight,
-- and then the part after midnight belongs to the next day.
create table patrol_shifts (
  community_id text not null,
  id           bigint generated always as identity,
  route_id     bigint not null,
  days         smallint[] not null check (cardinality(days) between 1 and 7 and days <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[]),
  start_time   time not null,
  end_time     time not null check (end_time <> start_time),
  primary key (community_id, id),
  foreign key (community_id, route_id) references patrol_routes (community_id, id) on delete cascade
);
create index patrol_shifts_route_idx on patrol_shifts (community_id, route_id);

create table captains (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  name         text not null check (length(name) between 1 and 200),
  phone        text,
  active       boolean not null default true,
  source       text not null default 'manual',
  source_id    text,
  is_sample    boolean not null default false,
  primary key (community_id, id),
  unique (community_id, source, source_id)
);

create table captain_buildings (
  community_id text not null,
  captain_id   bigint not null,
  building_id  bigint not null,
  primary key (community_id, captain_id, building_id),
  foreign key (community_id, captain_id) references captains (community_id, id) on delete cascade,
  foreign key (community_id, building_id) references buildings (community_id, id) on delete cascade
);
create index captain_buildings_building_idx on captain_buildings (community_id, building_id);

-- occurred_at is the local date at 00:00 when the source gives no time of day (time_known = false):
-- such incidents count by date but never by hour.
create table incidents (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  category     text not null check (length(category) between 1 and 100),
  description  text,
  occurred_at  timestamptz not null,
  time_known   boolean not null,
  geom         geometry(Point, 4326) not null check (ST_IsValid(geom) and not ST_IsEmpty(geom)),
  address      text,
  status       text,
  source       text not null default 'manual',
  source_id    text,
  primary key (community_id, id),
  unique (community_id, source, source_id)
);
create index incidents_geom_gix on incidents using gist (geom);
create index incidents_time_idx on incidents (community_id, occurred_at);

create table disputes (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  building_id  bigint,
  geom         geometry(Point, 4326) not null check (ST_IsValid(geom) and not ST_IsEmpty(geom)),
  kind         text not null,
  reported_at  timestamptz not null,
  status       text not null check (status in ('reported', 'mediating', 'resolved', 'escalated')),
  resolved_at  timestamptz check (resolved_at >= reported_at),
  outcome      text check (outcome in ('success', 'failed')),
  source       text not null default 'manual',
  source_id    text,
  is_sample    boolean not null default false,
  primary key (community_id, id),
  unique (community_id, source, source_id),
  foreign key (community_id, building_id) references buildings (community_id, id) on delete set null (building_id),
  check (status <> 'resolved' or (resolved_at is not null and outcome is not null)),
  check (status not in ('reported', 'mediating') or (resolved_at is null and outcome is null))
);
create index disputes_geom_gix on disputes using gist (geom);

-- People and access. Users are global (a reference table); roles are per community.
create table users (
  id            bigint generated always as identity primary key,
  username      text not null unique check (username ~ '^[A-Za-z0-9_.@-]{3,64}$'),
  display_name  text,
  password_hash text not null,
  created_at    timestamptz not null default now()
);

create table community_roles (
  community_id text not null references communities (id) on delete cascade,
  user_id      bigint not null references users (id) on delete cascade,
  role         text not null check (role in ('admin', 'planner', 'viewer')),
  primary key (community_id, user_id)
);

create table sessions (
  token_hash text primary key,
  user_id    bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

create table audit_log (
  community_id text not null references communities (id) on delete cascade,
  id           bigint generated always as identity,
  at           timestamptz not null default now(),
  user_id      bigint references users (id) on delete set null,
  action       text not null,
  entity       text not null,
  entity_id    text,
  before       jsonb,
  after        jsonb,
  primary key (community_id, id)
);
create index audit_log_at_idx on audit_log (community_id, at);
