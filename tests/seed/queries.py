"""The design documents' read queries (000: dreams, 001: projects and usage), as the API runs them.

Each entry: name -> (SQL, the names of its parameters, in order). Document 000's `AVG(duration)`
is `duration_ms` here, as in the schema.
"""

from __future__ import annotations

from datetime import datetime

from seed.pg import Connection

__all__ = ["QUERIES", "sample_params"]

_DASHBOARD = """
SELECT d.id, d.title, d.category, d.created_at, pl.average_impossibility, pl.improvement_trend,
       COUNT(at.id) AS test_count
FROM dreams d
LEFT JOIN progress_logs pl ON pl.dream_id = d.id AND pl.id = (
  SELECT id FROM progress_logs WHERE dream_id = d.id ORDER BY created_at DESC LIMIT 1
)
LEFT JOIN ai_tests at ON at.dream_id = d.id
WHERE d.user_id = $1 AND d.status = 'ACTIVE'
GROUP BY d.id, pl.average_impossibility, pl.improvement_trend
ORDER BY d.created_at DESC
LIMIT 20"""
_DECAY_CHART = """
SELECT DATE_TRUNC('day', created_at) AS date, AVG(impossibility_score) AS avg_score,
       MIN(impossibility_score) AS best_score, COUNT(*) AS test_count
FROM ai_tests
WHERE dream_id = $1 AND created_at >= $2::timestamptz - INTERVAL '30 days'
  AND status = 'COMPLETED'
GROUP BY DATE_TRUNC('day', created_at)
ORDER BY date"""
_MODEL_COMPARISON = """
SELECT provider, model, AVG(impossibility_score) AS avg_impossibility,
       AVG(confidence) AS avg_confidence, AVG(duration_ms) AS avg_duration_ms,
       COUNT(*) AS test_count
FROM ai_tests
WHERE status = 'COMPLETED' AND created_at >= $1::timestamptz - INTERVAL '7 days'
GROUP BY provider, model
ORDER BY avg_impossibility ASC"""
_CATEGORY_PERFORMANCE = """
SELECT d.category, COUNT(DISTINCT d.id) AS dream_count,
       AVG(at.impossibility_score) AS avg_impossibility, COUNT(at.id) AS total_tests
FROM dreams d
JOIN ai_tests at ON at.dream_id = d.id
WHERE at.status = 'COMPLETED' AND d.status = 'ACTIVE'
GROUP BY d.category
ORDER BY avg_impossibility ASC"""
_TOKEN_COST = """
SELECT u.email, at.provider, at.model, SUM(at.tokens_used) AS total_tokens,
       SUM(at.cost) AS total_cost
FROM ai_tests at
JOIN users u ON u.id = at.user_id
WHERE at.created_at >= $1::timestamptz - INTERVAL '30 days'
GROUP BY u.email, at.provider, at.model
ORDER BY total_cost DESC"""
_BUDGET_ALERTS = """
SELECT user_id, SUM(cost) AS monthly_spend
FROM ai_tests
WHERE created_at >= DATE_TRUNC('month', $1::timestamptz)
GROUP BY user_id
HAVING SUM(cost) > 50.00"""
_USAGE_BUDGETS = """
SELECT u.id, u.email, u.monthly_budget, SUM(t.cost) AS spend
FROM token_usage t JOIN users u ON u.id = t.user_id
WHERE t.timestamp >= DATE_TRUNC('month', $1::timestamptz)
GROUP BY u.id
HAVING SUM(t.cost) > 0.8 * u.monthly_budget"""

_PUBLIC = "SELECT id, name, likes, forks, views FROM projects WHERE visibility = 'PUBLIC'"

QUERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "000 dashboard": (_DASHBOARD, ("user",)),
    "000 decay chart": (_DECAY_CHART, ("dream", "now")),
    "000 model comparison": (_MODEL_COMPARISON, ("now",)),
    "000 category performance": (_CATEGORY_PERFORMANCE, ()),
    "000 token cost": (_TOKEN_COST, ("now",)),
    "000 budget alerts": (_BUDGET_ALERTS, ("now",)),
    "000 public dreams": (
        "SELECT id, title FROM dreams WHERE is_public ORDER BY created_at DESC LIMIT 20",
        (),
    ),
    "000 dreams by tag": ("SELECT id FROM dreams WHERE tags @> ARRAY['code'] LIMIT 20", ()),
    "000 dream title search": (
        "SELECT id, title FROM dreams WHERE to_tsvector('english', title) @@ "
        "websearch_to_tsquery('english', 'compiler') LIMIT 20",
        (),
    ),
    "000 pending tests": (
        "SELECT id FROM ai_tests WHERE status = 'PENDING' ORDER BY created_at LIMIT 50",
        (),
    ),
    "000 dream progress": (
        "SELECT * FROM progress_logs WHERE dream_id = $1 ORDER BY created_at DESC LIMIT 30",
        ("dream",),
    ),
    "001 user projects": (
        "SELECT id, name, updated_at FROM projects WHERE user_id = $1 "
        "ORDER BY updated_at DESC LIMIT 20",
        ("user",),
    ),
    "001 popular": (f"{_PUBLIC} ORDER BY likes DESC LIMIT 20", ()),
    "001 most forked": (f"{_PUBLIC} ORDER BY forks DESC LIMIT 20", ()),
    "001 trending": (f"{_PUBLIC} ORDER BY views DESC LIMIT 20", ()),
    "001 recent": (f"{_PUBLIC} ORDER BY created_at DESC LIMIT 20", ()),
    "001 by type": (f"{_PUBLIC} AND project_type = 'web' ORDER BY updated_at DESC LIMIT 20", ()),
    "001 featured": (f"{_PUBLIC} AND featured ORDER BY updated_at DESC LIMIT 20", ()),
    "001 name search": (f"{_PUBLIC} AND name ILIKE '%forge%' LIMIT 20", ()),
    "001 collaborations": (
        "SELECT project_id, role FROM project_collaborators WHERE user_id = $1",
        ("user",),
    ),
    "001 file by path": (
        "SELECT id, content FROM project_files WHERE project_id = $1 AND path = $2",
        ("project", "path"),
    ),
    "001 latest files": (
        "SELECT id, path FROM project_files WHERE project_id = $1 "
        "ORDER BY updated_at DESC LIMIT 20",
        ("project",),
    ),
    "001 files by language": (
        "SELECT id, path FROM project_files WHERE project_id = $1 AND language = 'typescript'",
        ("project",),
    ),
    "001 messages after cursor": (
        "SELECT id, role, content FROM messages WHERE project_id = $1 AND id > $2 "
        "ORDER BY id LIMIT 50",
        ("project", "cursor"),
    ),
    "001 latest messages": (
        "SELECT id, role FROM messages WHERE project_id = $1 ORDER BY created_at DESC LIMIT 50",
        ("project",),
    ),
    "001 message counts": (
        "SELECT project_id, count(*) FROM messages WHERE project_id = ANY($1::text[]) "
        "GROUP BY project_id",
        ("projects",),
    ),
    "001 usage per day": (
        "SELECT date_trunc('day', timestamp) AS day, sum(total_tokens), sum(cost) "
        "FROM token_usage WHERE user_id = $1 AND timestamp >= $2::timestamptz - interval '30 days' "
        "GROUP BY 1 ORDER BY 1",
        ("user", "now"),
    ),
    "001 usage per endpoint": (
        "SELECT count(*), sum(total_tokens) FROM token_usage WHERE user_id = $1 "
        "AND endpoint = '/api/chat' AND timestamp >= $2::timestamptz - interval '7 days'",
        ("user", "now"),
    ),
    "001 usage per project": (
        "SELECT sum(total_tokens), sum(cost) FROM token_usage WHERE project_id = $1",
        ("project",),
    ),
    "001 usage per model": (
        "SELECT model, sum(total_tokens), sum(cost) FROM token_usage "
        "WHERE timestamp >= $1::timestamptz - interval '1 day' GROUP BY model",
        ("now",),
    ),
    "001 usage of a model": ("SELECT count(*) FROM token_usage WHERE model = 'gpt-4o'", ()),
    "001 users near budget": (_USAGE_BUDGETS, ("now",)),
    "001 project stats": (
        "SELECT * FROM project_stats WHERE project_id = ANY($1::text[])",
        ("projects",),
    ),
    "001 token summary": (
        "SELECT day, total_tokens, total_cost FROM user_token_summary WHERE user_id = $1 "
        "ORDER BY day DESC LIMIT 30",
        ("user",),
    ),
}


async def sample_params(conn: Connection, now: datetime) -> dict[str, object]:
    """Realistic arguments: the PRO demo account, its most tested dream, the busiest project."""
    user = await conn.fetchval("SELECT id FROM users WHERE email = 'pro@dreams.test'")
    dream = await conn.fetchval(
        "SELECT dream_id FROM ai_tests WHERE user_id = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 "
        "LIMIT 1",
        user,
    )
    project = await conn.fetchval(
        "SELECT p.id FROM projects p JOIN users u ON u.id = p.user_id "
        "WHERE u.email = 'admin@dreams.test' ORDER BY p.created_at LIMIT 1"
    )
    cursor = await conn.fetchval(
        "SELECT coalesce((SELECT id FROM messages WHERE project_id = $1 ORDER BY id "
        "OFFSET 10 LIMIT 1), '')",
        project,
    )
    path = await conn.fetchval(
        "SELECT path FROM project_files WHERE project_id = $1 ORDER BY path LIMIT 1", project
    )
    values: dict[str, object] = {"user": user, "dream": dream, "project": project}
    values.update(cursor=cursor, path=path, projects=[project], now=now)
    return values
