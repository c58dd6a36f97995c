"""Project files: plausible paths per project type, in several languages, with real-looking code."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from seed.context import SeedContext, to_datetime

__all__ = ["COLUMNS", "rows"]

COLUMNS: Sequence[str] = (
    "id",
    "project_id",
    "path",
    "content",
    "language",
    "size",
    "created_at",
    "updated_at",
)

_LANGUAGES = {
    "md": "markdown", "json": "json", "ts": "typescript", "tsx": "typescript", "css": "css",
    "html": "html", "py": "python", "toml": "toml", "yml": "yaml", "yaml": "yaml", "rs": "rust",
    "sql": "sql", "js": "javascript", "go": "go", "txt": "text", "Dockerfile": "dockerfile",
}  # fmt: skip
_PATHS = {
    "web": ("src/main.tsx", "src/App.tsx", "src/components/Header.tsx", "src/styles/main.css",
            "index.html", "src/api/client.ts", "src/hooks/useAuth.ts", "vite.config.ts",
            "tsconfig.json"),
    "api": ("app/main.py", "app/routes/users.py", "app/models.py", "app/db.py",
            "tests/test_routes.py", "pyproject.toml", "Dockerfile", ".github/workflows/ci.yml"),
    "mobile": ("App.tsx", "app.json", "src/screens/Home.tsx", "src/screens/Settings.tsx",
               "src/navigation.ts", "src/store.ts"),
    "cli": ("src/main.rs", "src/cli.rs", "src/config.rs", "Cargo.toml", "tests/cli.rs"),
    "data": ("etl/extract.py", "etl/transform.py", "sql/schema.sql", "sql/reports.sql",
             "requirements.txt", "dags/daily.py"),
    "game": ("src/game.ts", "src/player.ts", "src/levels.json", "index.html", "src/style.css"),
    "ml": ("train.py", "model.py", "data/loader.py", "configs/base.yaml", "requirements.txt",
           "evaluate.py"),
    "extension": ("manifest.json", "background.js", "content.js", "popup.html", "popup.css"),
}  # fmt: skip
_EXTRA_DIRS = {"web": "src/lib", "api": "app/services", "mobile": "src/components",
               "cli": "src/commands", "data": "etl/jobs", "game": "src/entities",
               "ml": "experiments", "extension": "lib"}  # fmt: skip
_EXTRA_EXT = {"web": "ts", "api": "py", "mobile": "tsx", "cli": "rs", "data": "py", "game": "ts",
              "ml": "py", "extension": "js"}  # fmt: skip
_BODIES = {
    "typescript": "export function {n}(input: string): string {{\n  return input.trim();\n}}\n",
    "javascript": "function {n}(event) {{\n  console.log('{n}', event);\n}}\n",
    "python": "def {n}(value: str) -> str:\n    return value.strip()\n\n",
    "rust": "pub fn {n}(input: &str) -> String {{\n    input.trim().to_string()\n}}\n",
    "go": "func {n}(input string) string {{\n\treturn strings.TrimSpace(input)\n}}\n",
    "sql": "SELECT id, created_at FROM {n} WHERE created_at > now() - interval '7 days';\n",
    "css": ".{n} {{\n  display: flex;\n  gap: 0.5rem;\n}}\n",
    "html": "<section id=\"{n}\"><h2>{n}</h2></section>\n",
    "json": "  \"{n}\": true,\n",
    "yaml": "{n}:\n  enabled: true\n",
    "toml": "{n} = \"1.0\"\n",
    "markdown": "## {n}\n\nHow to use {n}.\n\n",
    "dockerfile": "RUN echo {n}\n",
    "text": "{n}==1.0.0\n",
}  # fmt: skip
_WORDS = ("parse", "render", "fetch", "load", "save", "format", "validate", "sync", "score")


def _language(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return _LANGUAGES.get(name, _LANGUAGES.get(name.rsplit(".", 1)[-1], "text"))


def _content(rng: random.Random, language: str, project: str) -> str:
    body = _BODIES.get(language, _BODIES["text"])
    parts = [f"// {project}\n" if language in {"typescript", "javascript", "rust", "go"} else ""]
    parts.extend(body.format(n=f"{rng.choice(_WORDS)}_{i}") for i in range(rng.randint(2, 24)))
    return "".join(parts)


def _paths(kind: str, n: int) -> list[str]:
    base = ["README.md", *_PATHS[kind]]
    extra = (f"{_EXTRA_DIRS[kind]}/module_{i}.{_EXTRA_EXT[kind]}" for i in range(n - len(base)))
    return [*base[:n], *extra]


def _per_project(ctx: SeedContext, rng: random.Random, count: int) -> list[int]:
    n = len(ctx.projects)
    counts = [1 if count >= n else 0] * n
    for project in rng.choices(
        range(n), cum_weights=ctx.projects.cum_weights, k=count - sum(counts)
    ):
        counts[project] += 1
    return counts


def rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    """`count` files across the projects, busier projects having more."""
    rng = ctx.rng("project_files")
    new_id = ctx.ids("project_files")
    projects = ctx.projects
    for project, n in enumerate(_per_project(ctx, rng, count) if projects.ids else []):
        created = projects.created[project]
        for path in _paths(ctx.project_kinds[project], n):
            language = _language(path)
            content = _content(rng, language, projects.ids[project])
            at = rng.uniform(created, ctx.now)
            yield (
                new_id(at), projects.ids[project], path, content, language,
                len(content.encode()), to_datetime(created), to_datetime(rng.uniform(at, ctx.now)),
            )  # fmt: skip
