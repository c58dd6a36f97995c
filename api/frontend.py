"""What people look at: the `/app` dashboard page, decay charts as pictures, and subscriptions.

`frontend_routes(schema)` lists the routes `api/app.py` adds; the page's assets are served from
`api/static/app` by the app's `/static` mount (vendored, no CDN).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from starlette.responses import FileResponse, JSONResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute

from api.charts.endpoint import decay_chart_image
from api.settings import Environment
from api.subscriptions import subscriptions_app
from seed.demo import DEMO_ACCOUNTS

if TYPE_CHECKING:
    import strawberry
    from starlette.requests import Request

    from api.context import Services

__all__ = ["APP_PAGE", "frontend_routes"]

APP_PAGE = Path(__file__).parent / "static" / "app" / "index.html"


async def app_page(request: Request) -> FileResponse:
    return FileResponse(APP_PAGE, media_type="text/html", headers={"Cache-Control": "no-cache"})


async def demo_accounts(request: Request) -> JSONResponse:
    """The documented demo accounts (README), so the page and GraphiQL can sign in with one
    click; in production none are offered."""
    services: Services = request.app.state.services
    accounts = []
    if services.settings.environment is Environment.DEVELOPMENT:
        accounts = [
            {"email": a.email, "name": a.name, "token": a.token, "about": a.about}
            for a in DEMO_ACCOUNTS
        ]
    return JSONResponse(accounts, headers={"Cache-Control": "no-cache"})


def frontend_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        Route("/app", app_page, methods=["GET"]),
        Route("/app/demo-accounts.json", demo_accounts, methods=["GET"]),
        Route("/charts/dreams/{dream_id}/decay.{format}", decay_chart_image, methods=["GET"]),
        WebSocketRoute("/graphql", subscriptions_app(schema)),
    ]
