"""This API against PostGraphile 5, side by side on one database (`make bench`).

Starts three servers on 127.0.0.1 over the bench database (`--database-url`, made and seeded at
medium scale on first use): one API worker with its caches, one without (uncached reads), and
one PostGraphile 5 process (Node 22, amber preset, installed into `.bench-peer/` from the pins in
this folder; see `servers.py`). Both sides get the same database pool size. Then, for each case,
`wrk` runs alternately on each server (3 runs of 10 s each by default) and the medians are
printed as a Markdown table with the load average:

- the nested read (a user's 20 latest dreams with the 5 latest AI tests of each) uncached for
  1,000 random users and for users with the full 20 x 5 shape, at 16 and 64 connections;
- the same read repeated for one user (the API's operation cache answers) at 16 and 64;
- 90 % repeats of four users / 10 % cold reads (a `nonce` variable) at 64;
- the dashboard (random users), public dreams and trending projects, uncached, at 16.

The API answers by whatever execution path it picks; the `X-Execution: compiled` share of its
responses is a column. Columns also give server CPU per request (the process tree's user +
system time from /proc over a run, PostgreSQL's excluded) and SQL statements per request.
`queries.py` says how each operation is asked of PostGraphile. Not part of CI: it needs Node
22, `wrk` and minutes of a quiet machine; `tests/unit/bench/` checks its query builders.
"""
