-- First and latest local date of a community's incidents, and how many there are ($1: community id).
-- No row when the community does not exist. min/max use the (community_id, occurred_at) index.
select to_char((select min(occurred_at) from incidents where community_id = c.id) at time zone c.time_zone, 'YYYY-MM-DD') as first,
       to_char((select max(occurred_at) from incidents where community_id = c.id) at time zone c.time_zone, 'YYYY-MM-DD') as last,
       (select count(*) from incidents where community_id = c.id) as count
from communities as c
where c.id = $1
