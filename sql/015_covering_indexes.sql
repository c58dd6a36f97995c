-- Covering indexes for document 000's spend queries (token cost per user and model over 30 days,
-- budget alerts this month). They read a large share of recent tests, so a plain index on
-- created_at loses to a sequential scan; with the summed columns included, PostgreSQL answers
-- them from the index alone and never touches the wide heap rows (reasoning, parameters).
CREATE INDEX IF NOT EXISTS idx_ai_tests_spend
  ON ai_tests (created_at)
  INCLUDE (user_id, provider, model, tokens_used, cost);
