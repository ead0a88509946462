-- 00014 filed briefings (issue 13, "Snapshots"): "file this briefing" stores the meeting pack as it
-- was presented — in Chinese and in English, with who filed it and when — so the next meeting
-- compares with what was actually reported, even when the data are corrected later. A filed
-- briefing never changes: a trigger refuses UPDATE, TRUNCATE and DELETE, except the DELETE a
-- removed community cascades to (its row is gone by then).

create table briefings (
  id bigint generated always as identity primary key,
  community_id text not null references communities (id) on delete cascade,
  period_from date not null,
  period_to date not null check (period_to >= period_from),
  compare text not null check (compare in ('previous', 'year')),
  compare_from date not null,
  compare_to date not null check (compare_to >= compare_from),
  windows jsonb not null,
  title text not null check (length(title) between 1 and 200),
  filed_by bigint,
  filed_by_username text not null,
  filed_at timestamptz not null default now(),
  incidents integer not null check (incidents >= 0),
  hot_cells integer not null check (hot_cells >= 0),
  priority_gaps integer not null check (priority_gaps >= 0),
  pack_zh json not null,
  pack_en json not null,
  grid json not null
);
comment on table briefings is 'filed meeting packs (issue 13): immutable; the next pack compares with the latest one filed for its other period and windows';
comment on column briefings.windows is 'the pack''s time windows as it shows them: {"day": "07:00-18:00", "evening": …, "night": …}';
comment on column briefings.filed_by is 'users.id of who filed it (no foreign key: the record outlives the user row; filed_by_username names them as they were)';
comment on column briefings.pack_zh is 'the pack exactly as GET …/briefing answered it with lang=zh (json keeps it byte for byte)';
comment on column briefings.grid is 'the period''s Gi* cells of the pack (incidents, insufficient, cells [i, j, count, hot]) for the next meeting''s hot spot comparison';
create index briefings_list_idx on briefings (community_id, filed_at desc, id desc);
create index briefings_period_idx on briefings (community_id, period_from, period_to, filed_at desc, id desc);

create function safegrid_briefing_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'TRUNCATE' then
    raise exception 'filed briefings cannot be removed' using errcode = 'integrity_constraint_violation';
  end if;
  -- the cascade of a deleted community: its row is already gone
  if tg_op = 'DELETE' and not exists (select 1 from communities where id = old.community_id) then
    return old;
  end if;
  raise exception 'a filed briefing cannot be changed or removed (briefing %)', old.id
    using errcode = 'integrity_constraint_violation';
end $$;
create trigger briefings_immutable before update or delete on briefings
  for each row execute function safegrid_briefing_immutable();
create trigger briefings_no_truncate before truncate on briefings
  for each statement execute function safegrid_briefing_immutable();
