"""`precedent serve`: the web concordancer, a thin layer over the Corpus API.

Server-rendered pages (Jinja2, autoescaped: every corpus text is escaped, control characters shown
as `<U+202E>`), plain CSS and a few lines of script served by the app itself (no network, no build
step), and a JSON API whose answers are those of the CLI's `--json` (the results' `as_dict()` as
they are). The corpus and its model are opened once per process, when the server starts, so a
query costs its warm latency; the views (web/views.py) run in the server's thread pool, each
thread with its own store connection and one index reader shared (web/site.py), so requests are
answered side by side. This module is imported only by `precedent serve` (and its tests), so the
CLI starts without the web framework.
"""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from precedent.config import Settings
from precedent.corpus import Corpus
from precedent.errors import PrecedentError
from precedent.index import NO_MODEL
from precedent.users import UsersFile
from precedent.web.site import HERE, Site, page, status_of
from precedent.web.views import ROUTES

MAX_UPLOAD_BYTES = 10_000_000  # a document to match or check; larger ones are refused unread
# every page: no framing, no sniffing, scripts and styles only from here (the pages' few inline lines too)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
                               " script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
}


def create_app(settings: Settings, allow_edits: bool = False, max_upload_bytes: int = MAX_UPLOAD_BYTES,
               hosts: tuple[str, ...] = (), csrf: str | None = None, users: UsersFile | None = None) -> FastAPI:
    """The web app over one index dir. `hosts`: the names it answers to besides this machine's
    (a request naming another Host is refused: DNS rebinding); `csrf`: the form token and the
    sessions' key, shared by the worker processes of one server (else made here); `users`: with
    them, a correction needs a signed-in user."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        corpus = Corpus.open(settings)
        corpus.follow_store()  # an edit cut short (a crash) left the index behind the store
        app.state.corpus = corpus
        app.state.vectors = corpus.searcher().state.get("model", NO_MODEL) != NO_MODEL
        if app.state.vectors:
            corpus.searcher().embedder()  # the model loads now, not on the first query
        try:
            yield
        finally:
            corpus.close()

    app = FastAPI(title="precedent", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.site = site = Site.make(settings, allow_edits, max_upload_bytes, hosts, csrf, users)
    app.mount("/static/api-docs", StaticFiles(directory=swagger_ui_path), name="api-docs")  # before /static, which holds it
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        """Refuse a request naming a Host this server does not serve, and a state-changing one sent
        from another site; put the security headers on every answer."""
        host = request.headers.get("host", "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        anyone = "*" in site.served
        refusal = None
        if name not in site.served and not anyone:
            refusal = f"this server does not answer to the host {host!r}"
        elif request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if request.headers.get("sec-fetch-site") == "cross-site" or (
                    origin and origin != "null" and urlsplit(origin).hostname not in site.served and not anyone):
                refusal = "a request from another site is refused"
        if refusal:
            response = JSONResponse({"error": refusal}, status_code=403 if "site" in refusal else 400)
        else:
            response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(PrecedentError)
    async def precedent_error(request: Request, exc: PrecedentError):
        """Every library error is one line: JSON under /api, the error page elsewhere."""
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status_of(exc))
        return page(request, "error.html", status=status_of(exc), message=message)

    @app.get("/docs", include_in_schema=False)
    async def api_docs():
        """The API's page, its Swagger UI files served from here: it works with no network."""
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="precedent API",
                                   swagger_js_url="/static/api-docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static/api-docs/swagger-ui.css",
                                   swagger_favicon_url="/static/api-docs/favicon-32x32.png")

    for method, path, view, options in ROUTES:
        app.add_api_route(path, view, methods=[method], **options)
    return app


def serve(settings: Settings, host: str, port: int, allow_edits: bool = False, workers: int = 1,
          hosts: tuple[str, ...] = (), users: UsersFile | None = None) -> None:
    """Serve with uvicorn: one process, or `workers` processes over the same index files and store
    (uvicorn's own process manager), each with the model loaded once and one form token for all."""
    import json
    import os

    import uvicorn

    hosts = (*hosts, host) if host not in ("0.0.0.0", "::") else (*hosts, *(("*",) if not hosts else ()))
    if workers <= 1:
        uvicorn.run(create_app(settings, allow_edits, hosts=hosts, users=users), host=host, port=port, log_level="warning")
        return
    os.environ[SERVED] = json.dumps({"index_dir": str(settings.index_dir), "model": settings.model,
                                     "model_dir": str(settings.model_dir), "embed_batch_size": settings.embed_batch_size,
                                     "allow_edits": allow_edits, "hosts": list(hosts), "csrf": secrets.token_urlsafe(32),
                                     "users": str(users.path) if users else None})
    uvicorn.run("precedent.web:served_app", factory=True, host=host, port=port, workers=workers, log_level="warning")


SERVED = "PRECEDENT_SERVED_APP"  # what `serve --workers N` hands its worker processes


def served_app() -> FastAPI:
    """The app of one worker process of `precedent serve --workers N`, as its parent set it up."""
    import json
    import os

    given = json.loads(os.environ[SERVED])
    settings = Settings(Path(given["index_dir"]), given["model"], Path(given["model_dir"]), int(given["embed_batch_size"]))
    return create_app(settings, given["allow_edits"], hosts=tuple(given["hosts"]), csrf=given["csrf"],
                      users=UsersFile(Path(given["users"])) if given["users"] else None)


__all__ = ["MAX_UPLOAD_BYTES", "create_app", "serve", "served_app"]
