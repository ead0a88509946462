-- seed/targets: sample targets (is_sample) for community $1 in the demo's data years — the issue's
-- examples (mediation 100 %, success ≥ 95 %, no escalations, night coverage of every zone ≥ 50 %,
-- every building with a captain) and the stages create → consolidate → model over three years.
with years (year, stage) as (values (2012, 'create'), (2013, 'consolidate'), (2014, 'model'), (2018, 'create'), (2019, 'consolidate'), (2020, 'model')),
ins as (
  insert into target_years (community_id, year, stage, is_sample)
  select $1, year, stage, true from years
  on conflict do nothing
  returning year
)
insert into targets (community_id, year, indicator, value)
select $1, ins.year, t.indicator, t.value
from ins cross join (values ('mediation_rate', 100), ('success_rate', 95), ('resolved_in_community', 90), ('escalations', 0), ('petitions', 0),
                            ('night_coverage_min_zone', 50), ('captained_buildings', 100), ('patrols_done', 90), ('overdue_problems', 0)) as t (indicator, value)
on conflict do nothing
