"""The GraphiQL page both gateways serve, its assets shipped as package data (no CDN)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

STATIC_DIR = Path(__file__).with_name("static")
STATIC_SUFFIX = "/static"
# The only files served (name -> content type); names carry their version (static/README.md).
GRAPHIQL_JS = "graphiql-3.8.3.min.js"
GRAPHIQL_CSS = "graphiql-3.8.3.min.css"
REACT_JS = "react-18.3.1.production.min.js"
REACT_DOM_JS = "react-dom-18.3.1.production.min.js"
ASSETS: dict[str, str] = {
    GRAPHIQL_JS: "text/javascript; charset=utf-8",
    GRAPHIQL_CSS: "text/css; charset=utf-8",
    REACT_JS: "text/javascript; charset=utf-8",
    REACT_DOM_JS: "text/javascript; charset=utf-8",
}
# A versioned name never changes content, so browsers may keep it for a year.
ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable"
# The browser itself refuses anything not from this origin (fonts and icons are data: URLs).
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'"
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="{static}/{css}">
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL… (POST GraphQL requests to this URL work without it)</div>
  <script src="{static}/{react}"></script>
  <script src="{static}/{react_dom}"></script>
  <script src="{static}/{graphiql}"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({{ url: window.location.pathname }});
    const props = {props};
    ReactDOM.createRoot(document.getElementById("graphiql"))
      .render(React.createElement(GraphiQL, {{ fetcher, ...props }}));
  </script>
</body>
</html>
"""


def page(title: str, graphql_path: str, default_query: str | None = None) -> str:
    """Return the GraphiQL page for the endpoint at ``graphql_path``."""
    props = {} if default_query is None else {"defaultQuery": default_query}
    # JSON inside <script>: "</" could close the element, so it never appears literally.
    props_js = json.dumps(props, ensure_ascii=False).replace("</", "<\\/")
    return _PAGE.format(
        title=html.escape(title),
        static=html.escape(graphql_path + STATIC_SUFFIX),
        css=GRAPHIQL_CSS,
        react=REACT_JS,
        react_dom=REACT_DOM_JS,
        graphiql=GRAPHIQL_JS,
        props=props_js,
    )


def asset(name: str) -> FileResponse:
    """Return one listed asset with long cache headers; anything else is a 404."""
    content_type = ASSETS.get(name)
    if content_type is None:
        raise HTTPException(status_code=404, detail="no such asset")
    return FileResponse(
        STATIC_DIR / name,
        media_type=content_type,
        headers={"Cache-Control": ASSET_CACHE_CONTROL, "X-Content-Type-Options": "nosniff"},
    )


def add_graphiql(
    app: FastAPI, graphql_path: str, title: str, default_query: str | None = None
) -> None:
    """Serve GraphiQL on GET ``graphql_path`` and its assets under ``graphql_path/static/``."""
    body = page(title, graphql_path, default_query)

    async def graphiql() -> HTMLResponse:
        return HTMLResponse(body, headers={"Content-Security-Policy": PAGE_CSP})

    async def graphiql_asset(name: str) -> FileResponse:
        return asset(name)

    app.add_api_route(graphql_path, graphiql, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        graphql_path + STATIC_SUFFIX + "/{name}",
        graphiql_asset,
        methods=["GET"],
        include_in_schema=False,
    )
