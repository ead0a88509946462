-- What the database is: server version, PostGIS library version, highest applied migration.
select current_setting('server_version') as postgres, postgis_lib_version() as postgis,
       coalesce((select max(version) from schema_migrations), 0) as migration
