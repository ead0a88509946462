-- First and latest local date of a community's incidents, how many there are, and the local months
-- that have any, newest first, each with its count and how many have a time of day ($1: community
-- id). No row when the community does not exist. min/max use the (community_id, occurred_at) index.
select to_char((select min(occurred_at) from incidents where community_id = c.id) at time zone c.time_zone, 'YYYY-MM-DD') as first,
       to_char((select max(occurred_at) from incidents where community_id = c.id) at time zone c.time_zone, 'YYYY-MM-DD') as last,
       (select count(*) from incidents where community_id = c.id) as count,
       coalesce((
         select json_agg(json_build_object('month', m.month, 'count', m.n, 'timeKnown', m.known) order by m.month desc)
         from (
           select to_char(i.occurred_at at time zone c.time_zone, 'YYYY-MM') as month, count(*)::int as n, (count(*) filter (where i.time_known))::int as known
           from incidents as i where i.community_id = c.id group by 1
         ) as m
       ), '[]') as months
from communities as c
where c.id = $1
