-- Materialized views (document 001) for aggregations too costly to run per request.
-- Each has a UNIQUE index, which a concurrent `REFRESH MATERIALIZED VIEW` requires
-- (`python -m orm db refresh-views`). They are created WITH DATA; on an empty database that is
-- instant, and the seed refreshes them after loading.

-- Tokens and cost per user per UTC day, for billing, budget checks and usage charts.
CREATE MATERIALIZED VIEW IF NOT EXISTS user_token_summary AS
SELECT
  user_id,
  (timestamp AT TIME ZONE 'UTC')::date AS day,
  count(*)::integer AS request_count,
  sum(prompt_tokens)::bigint AS prompt_tokens,
  sum(completion_tokens)::bigint AS completion_tokens,
  sum(total_tokens)::bigint AS total_tokens,
  sum(cost)::numeric(14, 6) AS total_cost
FROM token_usage
GROUP BY user_id, (timestamp AT TIME ZONE 'UTC')::date
WITH DATA;

CREATE UNIQUE INDEX IF NOT EXISTS idx_user_token_summary_user_day
  ON user_token_summary (user_id, day);
CREATE INDEX IF NOT EXISTS idx_user_token_summary_day
  ON user_token_summary (day);

-- Per project: files, messages, collaborators, tokens, cost and the last activity of any kind.
CREATE MATERIALIZED VIEW IF NOT EXISTS project_stats AS
SELECT
  p.id AS project_id,
  p.user_id,
  coalesce(f.file_count, 0)::integer AS file_count,
  coalesce(f.total_size, 0)::bigint AS total_file_size,
  coalesce(m.message_count, 0)::integer AS message_count,
  coalesce(c.collaborator_count, 0)::integer AS collaborator_count,
  coalesce(t.total_tokens, 0)::bigint AS total_tokens,
  coalesce(t.total_cost, 0)::numeric(14, 6) AS total_cost,
  greatest(p.updated_at, f.last_file_at, m.last_message_at, t.last_usage_at) AS last_activity_at
FROM projects p
LEFT JOIN (
  SELECT project_id, count(*) AS file_count, sum(size) AS total_size,
         max(updated_at) AS last_file_at
  FROM project_files GROUP BY project_id
) f ON f.project_id = p.id
LEFT JOIN (
  SELECT project_id, count(*) AS message_count, max(created_at) AS last_message_at
  FROM messages GROUP BY project_id
) m ON m.project_id = p.id
LEFT JOIN (
  SELECT project_id, count(*) AS collaborator_count
  FROM project_collaborators GROUP BY project_id
) c ON c.project_id = p.id
LEFT JOIN (
  SELECT project_id, sum(total_tokens) AS total_tokens, sum(cost) AS total_cost,
         max(timestamp) AS last_usage_at
  FROM token_usage WHERE project_id IS NOT NULL GROUP BY project_id
) t ON t.project_id = p.id
WITH DATA;

CREATE UNIQUE INDEX IF NOT EXISTS idx_project_stats_project
  ON project_stats (project_id);
CREATE INDEX IF NOT EXISTS idx_project_stats_user
  ON project_stats (user_id);
