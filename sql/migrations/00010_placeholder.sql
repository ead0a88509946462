-- 00010 placeholder on branch helper/people only: the parallel branch brings the real 00010 (patrol log,
-- team members). Migrations must be numbered without gaps, so this empty step lets 00011 run here.
-- DELETE THIS FILE WHEN MERGING (keep the other branch's 00010).
select 1;
