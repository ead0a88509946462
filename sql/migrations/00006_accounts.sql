-- 00006 accounts, roles per community, sessions and the audit log, as DESIGN.md "Security" has them.
--
-- - users: a password hash (scrypt, server/src/auth/passwords.ts), `admin` for the system
--   administrators (every community, users and communities), `disabled`, and `must_change_password`
--   for a password someone else chose (the generated first admin, an admin's reset).
-- - community_roles: one role per user and community: admin (everything in it), planner, mediator,
--   care (care files, granted on its own), viewer (the meeting view: aggregated incidents, no phones).
-- - sessions: only a SHA-256 hash of the token is stored; idle and absolute expiry.
-- - audit_log: every write and every login — who, when, what, from where, before and after. Logins
--   and user changes belong to no community, so community_id may be null now.

alter table users add column admin boolean not null default false;
alter table users add column disabled boolean not null default false;
alter table users add column must_change_password boolean not null default false;
alter table users add column password_changed_at timestamptz not null default now();
alter table users add column updated_at timestamptz not null default now();
alter table users add column version integer not null default 1 check (version >= 1);
alter table users add constraint users_display_name_length check (display_name is null or length(display_name) between 1 and 200);
comment on column users.admin is 'system administrator: every community, users and communities';
comment on column users.must_change_password is 'the password was chosen by someone else: the user must choose a new one before anything else';

alter table community_roles drop constraint community_roles_role_check;
alter table community_roles add constraint community_roles_role_check check (role in ('admin', 'planner', 'mediator', 'care', 'viewer'));
create index community_roles_user_idx on community_roles (user_id);

alter table sessions add column last_seen_at timestamptz not null default now();
alter table sessions add column ip text;
alter table sessions add column user_agent text;
create index sessions_user_idx on sessions (user_id);
comment on table sessions is 'login sessions: token_hash = sha256(token); ends at expires_at (absolute) or after the idle time since last_seen_at';

alter table audit_log drop constraint audit_log_pkey;
alter table audit_log alter column community_id drop not null;
alter table audit_log add primary key (id);
alter table audit_log add column username text;
alter table audit_log add column ip text;
create index audit_log_time_idx on audit_log (at);
create index audit_log_user_idx on audit_log (user_id, at);
create index audit_log_entity_idx on audit_log (entity, entity_id, at);
comment on column audit_log.username is 'who, as named when it happened (the user row may change or go)';
comment on column audit_log.ip is 'from where: the client address';
