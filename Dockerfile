# syntax=docker/dockerfile:1
# Two stages. `build` has Node (for the pinned Prisma CLI) and checks that the committed
# generated client matches schema.prisma; `runtime` is Python slim with only the virtualenv and
# the code: no Node, no compilers. GraphiQL's assets are committed under api/static/graphiql
# (`make graphiql-assets`), so nothing is fetched at run time.
#
#   docker build -t dreams-api .
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://... -e REDIS_URL=redis://... dreams-api
#
# Without DATABASE_URL the container starts the embedded PostgreSQL in /data/pg (mount a volume
# there to keep it) and seeds the demo data.

ARG PYTHON_VERSION=3.11
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS node

# The full image: Node's binary needs libstdc++, and the build stage may be large.
FROM python:${PYTHON_VERSION}-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /app

# Dependencies first, so code changes reuse these layers.
# The ORM is its own distribution (packages/orm); the API's other dependencies come from PyPI.
COPY pyproject.toml ./
COPY packages/orm ./packages/orm
RUN python -c "import tomllib; print('\\n'.join(d for d in tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'] if not d.startswith('dreams-prisma-orm')))" > /tmp/requirements.txt \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install ./packages/orm -r /tmp/requirements.txt
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY schema.prisma ./
COPY sql ./sql
COPY prisma ./prisma
COPY api ./api
COPY resolvers ./resolvers
COPY loaders ./loaders
COPY seed ./seed
# The committed client must be what schema.prisma generates (as `make check-generated`).
RUN PATH="/opt/venv/bin:$PATH" python -m orm check-generated --schema schema.prisma \
 && PATH="/opt/venv/bin:$PATH" python -m compileall -q prisma api resolvers loaders seed

FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    ENVIRONMENT=production \
    DATA_DIR=/data/pg \
    MPLCONFIGDIR=/tmp/matplotlib
RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app \
 && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/schema.prisma ./
COPY --from=build /app/sql ./sql
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/api ./api
COPY --from=build /app/resolvers ./resolvers
COPY --from=build /app/loaders ./loaders
COPY --from=build /app/seed ./seed
USER app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health\", timeout=2)"]
CMD ["python", "-m", "api"]
