-- CHECK constraints (document 004): ranges, amounts and sums the schema language can't say.
-- Enums need none: PostgreSQL enum types already reject unknown values.
--
-- Each row is (table, constraint, condition); a constraint is added only when a constraint of
-- that name is missing on that table, so the file can be applied again and again.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT * FROM (VALUES
      ('users', 'chk_users_monthly_budget', 'monthly_budget >= 0'),
      ('users', 'chk_users_email', 'position(''@'' in email) > 1'),
      ('dreams', 'chk_dreams_title', 'char_length(btrim(title)) > 0'),
      ('ai_tests', 'chk_ai_tests_impossibility_score', 'impossibility_score BETWEEN 0 AND 100'),
      ('ai_tests', 'chk_ai_tests_confidence', 'confidence BETWEEN 0 AND 100'),
      ('ai_tests', 'chk_ai_tests_duration_ms', 'duration_ms >= 0'),
      ('ai_tests', 'chk_ai_tests_tokens_used', 'tokens_used >= 0'),
      ('ai_tests', 'chk_ai_tests_cost', 'cost >= 0'),
      ('progress_logs', 'chk_progress_average', 'average_impossibility BETWEEN 0 AND 100'),
      ('progress_logs', 'chk_progress_best_score', 'best_score BETWEEN 0 AND 100'),
      ('progress_logs', 'chk_progress_best_le_average', 'best_score <= average_impossibility'),
      ('progress_logs', 'chk_progress_test_count', 'test_count >= 0'),
      ('progress_logs', 'chk_progress_trend', 'improvement_trend >= -100'),
      ('ai_models', 'chk_ai_models_max_tokens', 'max_tokens > 0'),
      ('ai_models', 'chk_ai_models_cost', 'cost_per_1k_tokens >= 0'),
      ('projects', 'chk_projects_counters', 'likes >= 0 AND forks >= 0 AND views >= 0'),
      ('projects', 'chk_projects_name', 'char_length(btrim(name)) > 0'),
      ('project_files', 'chk_project_files_size', 'size >= 0'),
      ('messages', 'chk_messages_tokens', 'tokens >= 0'),
      ('token_usage', 'chk_token_usage_tokens', 'prompt_tokens >= 0 AND completion_tokens >= 0'),
      ('token_usage', 'chk_token_usage_total',
        'total_tokens = prompt_tokens + completion_tokens'),
      ('token_usage', 'chk_token_usage_cost', 'cost >= 0'),
      ('api_response_times', 'chk_api_response_duration', 'duration_ms >= 0'),
      ('api_response_times', 'chk_api_response_status', 'status_code BETWEEN 100 AND 599')
    ) AS v (tbl, name, condition)
  LOOP
    IF NOT EXISTS (
      SELECT 1 FROM pg_constraint
       WHERE conrelid = to_regclass(c.tbl) AND conname = c.name
    ) THEN
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%s)', c.tbl, c.name, c.condition);
    END IF;
  END LOOP;
END
$$;
