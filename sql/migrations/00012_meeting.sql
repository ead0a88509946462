-- 00012 the meeting pack (issue 13): the community's targets per year for the scorecard, and the
-- programme's stage that year (create 创建 → consolidate 巩固 → model 示范). A year's targets are
-- written together (PUT …/targets/{year}, If-Match: the year's version) and audited.

create table target_years (
  community_id text not null references communities (id) on delete cascade,
  year integer not null check (year between 2000 and 2100),
  stage text not null check (stage in ('create', 'consolidate', 'model')),
  version integer not null default 1 check (version >= 1),
  is_sample boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (community_id, year)
);
comment on table target_years is 'the programme stage of a community in a year; its version covers the year''s targets';

create table targets (
  community_id text not null,
  year integer not null,
  indicator text not null check (indicator in ('mediation_rate', 'success_rate', 'resolved_in_community', 'escalations', 'petitions',
                                               'night_coverage_min_zone', 'captained_buildings', 'patrols_done', 'overdue_problems')),
  value float8 not null check (value >= 0 and value <= 100000),
  primary key (community_id, year, indicator),
  foreign key (community_id, year) references target_years (community_id, year) on delete cascade
);
comment on table targets is 'a community''s target for one indicator in one year (percent or count, as the indicator says)';
