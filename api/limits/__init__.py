"""Rate limits per viewer and per root field, shared by every API process through Redis.

`limiter.build_limiter(settings, metrics)` picks the Redis store when `REDIS_URL` is set and
process memory when it isn't. `/graphql`, the chart route and subscription `subscribe` messages
check it; `limiter.py` says who a viewer is, `rates.py` what a request takes and `store.py` how
it is counted.
"""
