-- Partial indexes (document 000): the rows most queries want are a small, stable subset.
-- Predicates are immutable (no NOW()), as PostgreSQL requires.

-- Active dreams, newest first: dashboards and feeds skip achieved and archived dreams.
CREATE INDEX IF NOT EXISTS idx_dreams_active
  ON dreams (created_at DESC)
  WHERE status = 'ACTIVE';

-- A user's active dreams, newest first (the dashboard query filters on both).
CREATE INDEX IF NOT EXISTS idx_dreams_user_active
  ON dreams (user_id, created_at DESC)
  WHERE status = 'ACTIVE';

-- Public dreams for the community feed.
CREATE INDEX IF NOT EXISTS idx_dreams_public_feed
  ON dreams (created_at DESC)
  WHERE is_public;

-- The model picker lists only active models.
CREATE INDEX IF NOT EXISTS idx_models_active
  ON ai_models (provider, name)
  WHERE is_active;

-- The queue of tests still waiting for a model's answer, oldest first.
CREATE INDEX IF NOT EXISTS idx_ai_tests_pending
  ON ai_tests (created_at)
  WHERE status = 'PENDING';

-- Completed tests over a time window, grouped by provider and model (model comparison) or
-- joined to their dreams (category performance); the included columns let those aggregates run
-- from the index alone, without touching the wide heap rows (reasoning, parameters).
CREATE INDEX IF NOT EXISTS idx_ai_tests_completed_recent
  ON ai_tests (created_at, provider, model)
  INCLUDE (impossibility_score, confidence, duration_ms, dream_id)
  WHERE status = 'COMPLETED';

-- Public projects only: discovery never looks at private ones.
CREATE INDEX IF NOT EXISTS idx_project_public_updated
  ON projects (updated_at DESC)
  WHERE visibility = 'PUBLIC';

-- Featured public projects (a handful).
CREATE INDEX IF NOT EXISTS idx_project_featured
  ON projects (updated_at DESC)
  WHERE featured AND visibility = 'PUBLIC';
