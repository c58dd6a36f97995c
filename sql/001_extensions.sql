-- Extensions the later files need. pg_trgm backs the trigram search on project names.
--
-- An extension belongs to the whole database, not to one schema, so it goes into `public`
-- whatever the target schema is; later files look up its operator class wherever it lives.
-- Several pushes into different schemas of one database may race to create it: the loser's
-- unique_violation means the winner already did the work. A server without the contrib
-- package (or a role that may not create it) gets a warning, and 020 skips the trigram index.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE EXTENSION pg_trgm WITH SCHEMA public;
  END IF;
EXCEPTION
  WHEN unique_violation OR duplicate_object THEN
    NULL;
  WHEN undefined_file OR insufficient_privilege THEN
    RAISE WARNING 'pg_trgm is not available (%): project name search will not be indexed', SQLERRM;
END
$$;
