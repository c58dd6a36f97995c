-- Text search: trigram on project names (document 001's idx_project_name_gin, for ILIKE
-- '%term%' and similarity) and full-text on dream titles.
--
-- gin_trgm_ops lives in the schema pg_trgm was installed into, which need not be on the
-- search_path, so the index is created through EXECUTE with the operator class qualified.
DO $$
DECLARE
  trgm_schema text;
BEGIN
  IF to_regclass('idx_project_name_gin') IS NULL THEN
    SELECT n.nspname INTO trgm_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_trgm';
    IF trgm_schema IS NULL THEN
      RAISE WARNING 'pg_trgm is not installed: skipping idx_project_name_gin';
      RETURN;
    END IF;
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS idx_project_name_gin ON projects USING gin (name %I.gin_trgm_ops)',
      trgm_schema
    );
  END IF;
END
$$;

-- Queries must use the same expression: to_tsvector('english', title) @@ websearch_to_tsquery(...)
CREATE INDEX IF NOT EXISTS idx_dreams_title_fts
  ON dreams USING gin (to_tsvector('english', title));
