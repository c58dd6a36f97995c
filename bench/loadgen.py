"""Load generators for `bench/api.py`: `wrk` driven by a generated Lua script, or httpx.

`wrk` (C, one event loop per thread) costs a fraction of the CPU the server does, so its figures
are the server's; the httpx fallback is a Python client that needs about as much CPU as the
server it measures, so with it the figures are a floor. Both send POST bodies round-robin from
a fixed set and, when `unique` is given, make every `unique_every`-th request's body unique (a
`nonce` variable the operation never reads, so it misses the operation cache but executes the
same query), and both report requests/s, p50/p95/p99, SQL statements per response (sampled from
`X-SQL-Statements`), cache hits (`X-Cache`) and errors (non-200 or a GraphQL `"errors"` key).
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import httpx

__all__ = ["Load", "Post", "Result", "have_wrk", "run_httpx", "run_wrk"]


@dataclass(frozen=True, slots=True)
class Post:
    body: str  # JSON
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Load:
    """What to send: `posts` round-robin (or at random); every `unique_every`-th one unique."""

    posts: tuple[Post, ...]
    unique: Post | None = None  # its body contains NONCE, replaced per request
    unique_every: int = 10
    shuffle: bool = False  # pick each request's post at random (seeded per wrk thread)


NONCE = "__NONCE__"


@dataclass(slots=True)
class Result:
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    sql_per_request: float = 0.0
    hit_share: float = 0.0
    compiled_share: float = 0.0  # of sampled responses, those saying `X-Execution: compiled`
    errors: int = 0
    unavailable: int = 0  # of the errors, 503s: the server shedding load (a full pool queue)

    def report(self, label: str) -> str:
        if not self.requests:
            return f"{label:<38} no requests ({self.errors} errors)"
        rps = self.requests / self.seconds
        return (
            f"{label:<38} {rps:8.0f} req/s  p50 {self.p50_ms:7.1f} ms  p95 {self.p95_ms:7.1f} ms"
            f"  p99 {self.p99_ms:7.1f} ms  sql/req {self.sql_per_request:5.2f}"
            f"  hits {self.hit_share * 100:3.0f}%  errors {self.errors}"
            + (f" ({self.unavailable} x 503)" if self.unavailable else "")
        )


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    assert "]==]" not in text
    return f"[==[{text}]==]"


def _lua_post(post: Post) -> str:
    headers = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in post.headers)
    headers = ", ".join(x for x in (headers, '["Content-Type"] = "application/json"') if x)
    return f"{{body = {_lua_string(post.body)}, headers = {{{headers}}}}}"


# Per thread: prepared requests, counters read back by `done` through `thread:get`.
_SCRIPT = """
local posts = {%(posts)s}
local unique = %(unique)s
local unique_every = %(unique_every)d
local shuffle = %(shuffle)s
local run = "%(run)s"
local threads, next_id = {}, 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end
function init(args)
  prepared, counter = {}, 0
  sql_sum, sampled, hits, compiled, bad, shed = 0, 0, 0, 0, 0, 0
  math.randomseed(tid * 7919)
  for i, p in ipairs(posts) do prepared[i] = wrk.format("POST", "/graphql", p.headers, p.body) end
end
function request()
  counter = counter + 1
  if unique and counter %% unique_every == 0 then
    local nonce = run .. "-" .. tid .. "-" .. counter
    local body = string.gsub(unique.body, "__NONCE__", nonce)
    return wrk.format("POST", "/graphql", unique.headers, body)
  end
  if shuffle then return prepared[math.random(#prepared)] end
  return prepared[(counter %% #prepared) + 1]
end
function response(status, headers, body)
  local sql = headers["x-sql-statements"] or headers["X-SQL-Statements"]
  if sql then sql_sum, sampled = sql_sum + tonumber(sql), sampled + 1 end
  if (headers["x-cache"] or headers["X-Cache"]) == "HIT" then hits = hits + 1 end
  if (headers["x-execution"] or headers["X-Execution"]) == "compiled" then
    compiled = compiled + 1
  end
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
  if status == 503 then shed = shed + 1 end
end
function done(summary, latency, requests)
  local s, n, h, c, b, u = 0, 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    s, n = s + t:get("sql_sum"), n + t:get("sampled")
    h, c, b = h + t:get("hits"), c + t:get("compiled"), b + t:get("bad")
    u = u + t:get("shed")
  end
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests":%%d,"us":%%d,"p50":%%d,"p95":%%d,"p99":%%d,' ..
    '"sql":%%d,"sampled":%%d,"hits":%%d,"compiled":%%d,"bad":%%d,"shed":%%d,"socket":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), s, n, h, c, b, u, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_script(load: Load) -> str:
    posts = ", ".join(_lua_post(p) for p in load.posts)
    unique = _lua_post(load.unique) if load.unique else "nil"
    return _SCRIPT % {
        "posts": posts,
        "unique": unique,
        "unique_every": load.unique_every,
        "shuffle": "true" if load.shuffle else "false",
        "run": time.time_ns(),
    }


def run_wrk(base: str, load: Load, *, connections: int, seconds: float, threads: int = 2) -> Result:
    """`wrk` against `base` (127.0.0.1 only) for `seconds`, with `connections` open."""
    assert base.startswith("http://127.0.0.1:"), base
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua_script(load))
        script.flush()
        command = [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            f"{base}/graphql",
        ]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk failed: {out.stdout}\n{out.stderr}")
    raw: dict[str, int] = json.loads(line.removeprefix("RESULT "))
    sampled = raw["sampled"] or raw["requests"] or 1
    return Result(
        requests=raw["requests"],
        seconds=raw["us"] / 1e6,
        p50_ms=raw["p50"] / 1000,
        p95_ms=raw["p95"] / 1000,
        p99_ms=raw["p99"] / 1000,
        sql_per_request=raw["sql"] / sampled,
        hit_share=raw["hits"] / sampled,
        compiled_share=raw["compiled"] / sampled,
        errors=raw["bad"] + raw["socket"],
        unavailable=raw["shed"],
    )


@dataclass(slots=True)
class _Samples:
    latencies: list[float] = field(default_factory=list[float])
    sql: list[int] = field(default_factory=list[int])
    hits: int = 0
    compiled: int = 0
    errors: int = 0
    unavailable: int = 0


async def _drive(base: str, load: Load, *, connections: int, seconds: float) -> Result:
    samples = _Samples()
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    counter = iter(range(1, 1 << 62))
    picker = random.Random(7919)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                post = load.posts[
                    picker.randrange(len(load.posts)) if load.shuffle else i % len(load.posts)
                ]
                if load.unique and i % load.unique_every == 0:
                    post = Post(load.unique.body.replace(NONCE, str(i)), load.unique.headers)
                await _one(client, post, samples)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return _summarize(samples, elapsed)


async def _one(client: httpx.AsyncClient, post: Post, samples: _Samples) -> None:
    headers = {"Content-Type": "application/json", **dict(post.headers)}
    started = time.perf_counter()
    response = await client.post("/graphql", content=post.body, headers=headers)
    samples.latencies.append(time.perf_counter() - started)
    samples.sql.append(int(response.headers.get("x-sql-statements", "0")))
    samples.hits += response.headers.get("x-cache") == "HIT"
    samples.compiled += response.headers.get("x-execution") == "compiled"
    samples.errors += response.status_code != 200 or b'"errors"' in response.content
    samples.unavailable += response.status_code == 503


def _summarize(samples: _Samples, seconds: float) -> Result:
    if len(samples.latencies) < 2:
        return Result(errors=samples.errors)
    q = statistics.quantiles(sorted(samples.latencies), n=100, method="inclusive")
    return Result(
        requests=len(samples.latencies),
        seconds=seconds,
        p50_ms=q[49] * 1000,
        p95_ms=q[94] * 1000,
        p99_ms=q[98] * 1000,
        sql_per_request=statistics.fmean(samples.sql),
        hit_share=samples.hits / len(samples.latencies),
        compiled_share=samples.compiled / len(samples.latencies),
        errors=samples.errors,
        unavailable=samples.unavailable,
    )


def run_httpx(base: str, load: Load, *, connections: int, seconds: float) -> Result:
    """The fallback when `wrk` isn't installed: the generator competes with the server for CPU."""
    return asyncio.run(_drive(base, load, connections=connections, seconds=seconds))
