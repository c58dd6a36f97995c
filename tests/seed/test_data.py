"""What the seeded data promises: demo accounts, valid values, realistic shapes, fresh views."""

from __future__ import annotations

import hashlib

import asyncpg
import pytest

from seed.pg import Connection

# The documented demo accounts (README): email -> (role, plan, bearer token).
DEMO = {
    "admin@dreams.test": ("ADMIN", "TEAM", "demo-admin-7f3c9a1e5b2d4086"),
    "pro@dreams.test": ("USER", "PRO", "demo-pro-4b8e2d6f1a9c3075"),
    "team@dreams.test": ("USER", "TEAM", "demo-team-9d1f5c3a7e2b6048"),
    "free@dreams.test": ("USER", "FREE", "demo-free-2a6c8e4f0b1d3957"),
}

# Each query counts rows breaking a rule the data must keep.
VIOLATIONS = {
    "scores": "SELECT count(*) FROM ai_tests WHERE impossibility_score NOT BETWEEN 0 AND 100 "
    "OR confidence NOT BETWEEN 0 AND 100",
    "test costs": "SELECT count(*) FROM ai_tests WHERE cost < 0 OR tokens_used < 0 "
    "OR duration_ms < 0",
    "tests before their dream": "SELECT count(*) FROM ai_tests t JOIN dreams d ON d.id = "
    "t.dream_id WHERE t.created_at < d.created_at OR t.user_id <> d.user_id",
    "progress": "SELECT count(*) FROM progress_logs WHERE best_score > average_impossibility "
    "OR test_count <= 0 OR cardinality(active_models) = 0",
    "token sums": "SELECT count(*) FROM token_usage "
    "WHERE total_tokens <> prompt_tokens + completion_tokens OR cost < 0",
    "counters": "SELECT count(*) FROM projects WHERE likes < 0 OR forks < 0 OR views < 0",
    "file sizes": "SELECT count(*) FROM project_files WHERE size <> octet_length(content)",
    "assistant authors": "SELECT count(*) FROM messages WHERE role <> 'USER' AND user_id IS "
    "NOT NULL",
    "private featured": "SELECT count(*) FROM projects WHERE featured AND visibility <> 'PUBLIC'",
    "like counters": "SELECT count(*) FROM projects p WHERE p.likes <> "
    "(SELECT count(*) FROM project_likes l WHERE l.project_id = p.id)",
    "likes by owners": "SELECT count(*) FROM project_likes l JOIN projects p ON p.id = "
    "l.project_id WHERE l.user_id = p.user_id OR l.created_at < p.created_at",
}


async def test_demo_accounts_have_the_documented_tokens(db: Connection):
    rows = await db.fetch(
        "SELECT email, role::text, plan::text, api_token_hash FROM users WHERE email = ANY($1)",
        list(DEMO),
    )
    found = {str(r[0]): (str(r[1]), str(r[2]), str(r[3])) for r in rows}
    assert found == {
        email: (role, plan, hashlib.sha256(token.encode()).hexdigest())
        for email, (role, plan, token) in DEMO.items()
    }


async def test_demo_accounts_own_public_and_private_data(db: Connection):
    dreams = await db.fetch(
        "SELECT u.email, bool_or(d.is_public), bool_or(NOT d.is_public) FROM dreams d "
        "JOIN users u ON u.id = d.user_id WHERE u.email = ANY($1) GROUP BY u.email",
        ["admin@dreams.test", "pro@dreams.test"],
    )
    assert [(r[1], r[2]) for r in dreams] == [(True, True), (True, True)]
    # Every demo account has a dream with enough tests for a decay chart.
    tested = await db.fetch(
        "SELECT u.email, max(n) FROM users u JOIN (SELECT d.user_id, count(t.id) AS n FROM dreams "
        "d LEFT JOIN ai_tests t ON t.dream_id = d.id GROUP BY d.id) s ON s.user_id = u.id "
        "WHERE u.email = ANY($1) GROUP BY u.email",
        list(DEMO),
    )
    assert len(tested) == len(DEMO)
    assert all(int(str(r[1])) >= 10 for r in tested)
    featured = await db.fetchval(
        "SELECT count(*) FROM projects p JOIN users u ON u.id = p.user_id "
        "WHERE u.email = 'admin@dreams.test' AND p.featured AND p.visibility = 'PUBLIC'"
    )
    assert featured == 1
    roles = await db.fetch(
        "SELECT c.role::text FROM project_collaborators c JOIN users u ON u.id = c.user_id "
        "WHERE u.email = 'team@dreams.test' ORDER BY 1"
    )
    assert [str(r[0]) for r in roles] == ["ADMIN", "EDITOR"]


async def test_pro_demo_account_is_near_its_budget(db: Connection):
    share = await db.fetchval(
        "SELECT sum(t.cost) / u.monthly_budget FROM token_usage t JOIN users u ON u.id = t.user_id "
        "WHERE u.email = 'pro@dreams.test' AND t.timestamp >= date_trunc('month', "
        "(SELECT max(timestamp) FROM token_usage)) GROUP BY u.monthly_budget"
    )
    assert 0.8 < float(str(share)) < 1.0


@pytest.mark.parametrize("rule", VIOLATIONS)
async def test_rows_keep_the_rules(db: Connection, rule: str):
    assert await db.fetchval(VIOLATIONS[rule]) == 0


async def test_check_constraints_reject_bad_values(db: Connection):
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("UPDATE ai_tests SET impossibility_score = 100.5 WHERE true")
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("UPDATE token_usage SET total_tokens = total_tokens + 1 WHERE true")
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("UPDATE projects SET likes = -1 WHERE true")


async def test_scores_decay_and_stronger_models_decay_faster(db: Connection):
    """Average score in the first and last third of each dream's life, per model strength."""
    rows = await db.fetch(
        "WITH e AS (SELECT max(created_at) AS at FROM ai_tests) "
        "SELECT t.model IN ('o1', 'claude-3-5-sonnet-20241022', 'deepseek-r1', 'o3-mini') AS "
        "strong, avg(t.impossibility_score) FILTER (WHERE t.created_at < d.created_at + "
        "(e.at - d.created_at) / 3), avg(t.impossibility_score) FILTER (WHERE t.created_at > "
        "d.created_at + 2 * (e.at - d.created_at) / 3) FROM ai_tests t JOIN dreams d ON "
        "d.id = t.dream_id CROSS JOIN e WHERE t.status = 'COMPLETED' GROUP BY 1 ORDER BY 1"
    )
    (weak_early, weak_late), (strong_early, strong_late) = [
        (float(str(r[1])), float(str(r[2]))) for r in rows
    ]
    assert weak_late < weak_early
    assert strong_late < strong_early
    assert strong_late < weak_late


async def test_likes_are_rows_and_counters_count_them(db: Connection):
    """Every like counter equals its project's `project_likes` rows (the rule above), and the
    popular projects have likes to show for it (`viewerHasLiked`, unliking)."""
    likes = await db.fetchval("SELECT count(*) FROM project_likes")
    liked = await db.fetchval("SELECT count(*) FROM projects WHERE likes > 0")
    assert int(str(likes)) > 0
    assert int(str(liked)) > 0


async def test_popularity_is_skewed(db: Connection):
    """Power-law likes: the top tenth of public projects hold most of the likes."""
    share = await db.fetchval(
        "SELECT sum(likes) FILTER (WHERE rank <= total / 10)::float / nullif(sum(likes), 0) FROM "
        "(SELECT likes, row_number() OVER (ORDER BY likes DESC) AS rank, count(*) OVER () AS "
        "total FROM projects WHERE visibility = 'PUBLIC') s"
    )
    assert float(str(share)) > 0.5


async def test_materialized_views_are_fresh_and_refresh_concurrently(db: Connection):
    stats = await db.fetchval(
        "SELECT (SELECT count(*) FROM project_stats) = (SELECT count(*) FROM projects) AND "
        "(SELECT sum(message_count) FROM project_stats) = (SELECT count(*) FROM messages)"
    )
    assert stats is True
    summary = await db.fetchval(
        "SELECT (SELECT sum(total_tokens) FROM user_token_summary) = "
        "(SELECT sum(total_tokens) FROM token_usage)"
    )
    assert summary is True
    await db.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY project_stats")
    await db.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY user_token_summary")
