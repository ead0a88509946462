-- seed/disputes: sample disputes ($2, FeatureCollection of SampleDisputeProps) with their mediation
-- in the model of migration 00011 ($4, SamplePeople.disputes by key) for community $1; the building
-- is matched by footprint source id (source $3). A sample dispute carried forward by the migration
-- without its detail gets it; one that has it is left alone.
insert into disputes (community_id, building_id, geom, kind, topic, found_how, reported_at, status, level, mediation_started_at, ended_at,
                      mediator, parties, source, source_id, is_sample)
select $1, b.id, ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326), x ->> 'kind', x ->> 'topic', x ->> 'foundHow',
       (p ->> 'reportedAt')::timestamptz, x ->> 'status', x ->> 'level', (x ->> 'mediationStartedAt')::timestamptz, (x ->> 'endedAt')::timestamptz,
       x ->> 'mediator', x -> 'parties', 'sample', p ->> 'key', true
from jsonb_array_elements($2::jsonb -> 'features') as f
cross join lateral (select f -> 'properties' as p) as props
join jsonb_array_elements($4::jsonb) as x on x ->> 'key' = p ->> 'key'
left join buildings as b on b.community_id = $1 and b.source = $3 and b.source_id = p ->> 'buildingSourceId'
on conflict (community_id, source, source_id) do update
  set kind = excluded.kind, topic = excluded.topic, found_how = excluded.found_how, status = excluded.status, level = excluded.level,
      mediation_started_at = excluded.mediation_started_at, ended_at = excluded.ended_at, mediator = excluded.mediator, parties = excluded.parties
  where disputes.is_sample and disputes.found_how is null
