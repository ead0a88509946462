-- 00008 reserved: issue 16's KDE/bands work adds its migration as 00008 alongside the tile work
-- (00009). Migrations must be numbered without gaps, so this empty one holds the number until the
-- two branches meet; the merge replaces it with that migration.
select 1;
