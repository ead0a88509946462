-- 00015 personal access tokens (issue 10, "Export"): desktop GIS (QGIS, GDAL's OAPIF driver) cannot
-- log in through a form, so a system administrator issues a user a token that the tool sends as
-- `Authorization: Bearer <token>`. It is a second way to the same user and their roles, for reading
-- only (GET). The secret is shown once; only its SHA-256 hash is stored. A token ends at its expiry,
-- when revoked, or while its user is disabled. Issuing and revoking are audited.

create table access_tokens (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  prefix text not null check (length(prefix) between 4 and 16),
  created_at timestamptz not null default now(),
  created_by text not null,
  expires_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz,
  check (expires_at > created_at)
);
create index access_tokens_user_idx on access_tokens (user_id);
comment on table access_tokens is 'personal access tokens for desktop GIS (Authorization: Bearer): sha256 of the secret only; GET requests only; ends at expires_at, revoked_at, or while the user is disabled';
comment on column access_tokens.prefix is 'the first characters of the secret, to tell tokens apart in a list (not enough to use it)';
comment on column access_tokens.created_by is 'the username of the administrator who issued it';
