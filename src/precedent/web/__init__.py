"""`precedent serve`: the web concordancer, a thin layer over the Corpus API.

Server-rendered pages (Jinja2, autoescaped: every corpus text is escaped, control characters shown
as `<U+202E>`), plain CSS and a few lines of script served by the app itself (no network, no build
step), and a JSON API whose answers are those of the CLI's `--json`. The corpus and its model are
opened once, when the server starts, so a query costs its warm latency. Every request runs on the
server's event loop, one at a time: the store connection belongs to that thread. JSON answers
are the results' `as_dict()` as they are (a JSONResponse: no second encoding pass). This module is
imported only by `precedent serve` (and its tests), so the CLI starts without the web framework.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
import tempfile
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Form, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from markupsafe import Markup
from swagger_ui_bundle import swagger_ui_path

from precedent.config import Settings
from precedent.corpus import Corpus
from precedent.errors import PrecedentError
from precedent.index import NO_MODEL
from precedent.readers import EXTENSIONS, MONOLINGUAL
from precedent.registries import TERM_ORIGINS
from precedent.search import Filters, SearchRequest
from precedent.text import LANGUAGES
from precedent.text.visible import html_marked, visible
from precedent.users import UsersFile

HERE = Path(__file__).parent
MAX_UPLOAD_BYTES = 10_000_000  # a document to match; larger ones are refused unread
PAGE_LIMITS = (10, 20, 50, 100)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
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
    app.mount("/static/api-docs", StaticFiles(directory=swagger_ui_path), name="api-docs")  # before /static, which holds it
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["visible"] = visible
    templates.env.finalize = _shown  # every value a page prints, the request's parameters too
    templates.env.globals["marked"] = _marked
    templates.env.globals["marked_text"] = lambda text, spans: Markup(html_marked(text, spans))
    templates.env.globals["document_extensions"] = ",".join(_document_extensions())
    csrf = csrf or secrets.token_urlsafe(32)  # one per server run: every form that changes or sends data carries it
    failures: dict[str, list[float]] = {}  # failed sign-ins by client address and by name, the last minute's
    served = {h.lower() for h in (*LOCAL_HOSTS, "testserver", *hosts)}

    @app.middleware("http")
    async def guard(request: Request, call_next):
        """Refuse a request naming a Host this server does not serve, and a state-changing one sent
        from another site; put the security headers on every answer."""
        host = request.headers.get("host", "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        refusal = None
        if name not in served and "*" not in served:
            refusal = f"this server does not answer to the host {host!r}"
        elif request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if request.headers.get("sec-fetch-site") == "cross-site" or (
                    origin and origin != "null" and urlsplit(origin).hostname not in served and "*" not in served):
                refusal = "a request from another site is refused"
        if refusal:
            response = JSONResponse({"error": refusal}, status_code=403 if "site" in refusal else 400)
        else:
            response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    local = threading.local()

    def corpus(request: Request) -> Corpus:
        """This thread's Corpus: its own store connection and index reader, the model shared.
        Routes that touch the corpus are plain functions the framework runs in its thread pool
        (or hand their work to it), so a long match never holds up a search."""
        opened = getattr(local, "corpus", None)
        if opened is None:
            opened = local.corpus = request.app.state.corpus.sibling()
        return opened

    def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        context |= {"csrf": csrf, "signature": getattr(context.get("result"), "signature", None), "allow_edits": allow_edits,
                    "signin": users is not None, "user": session_user(request)}
        return templates.TemplateResponse(request, name, context, status_code=status)

    def default_mode(request: Request) -> str:
        return "hybrid" if request.app.state.vectors else "lexical"

    def filters(symbol, year, min_confidence, organ, doctype) -> Filters:
        return Filters(symbol or None, Filters.years_from(year), min_confidence, organ or None, doctype or None)

    def search_request(request: Request, q, mode, lang, symbol, year, min_confidence, organ, doctype, limit, offset):
        """One search from a page's or the API's parameters (the CLI's options, by the same names)."""
        return SearchRequest(q, mode or default_mode(request), lang or None,
                             filters(symbol, year, min_confidence, organ, doctype), limit, offset)

    @app.exception_handler(PrecedentError)
    async def precedent_error(request: Request, exc: PrecedentError):
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        status = 401 if isinstance(exc, SignInNeeded) else 429 if isinstance(exc, TooManySignIns) else \
            403 if isinstance(exc, EditsRefused) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "error.html", status=status, message=message)

    @app.get("/docs", include_in_schema=False)
    async def api_docs():
        """The API's page, its Swagger UI files served from here: it works with no network."""
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="precedent API",
                                   swagger_js_url="/static/api-docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static/api-docs/swagger-ui.css",
                                   swagger_favicon_url="/static/api-docs/favicon-32x32.png")

    @app.get("/", response_class=HTMLResponse)
    def start(request: Request):
        return page(request, "search.html", result=None, query="", params={"mode": default_mode(request)},
                    totals=corpus(request).docs().totals)

    @app.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, q: str = "", mode: str | None = None, lang: str | None = None,
                          symbol: str | None = None, year: str | None = None, min_confidence: str | None = None,
                          organ: str | None = None, doctype: str | None = None,
                          limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=10000), full: bool = False):
        params = {"q": q, "mode": mode or default_mode(request), "lang": lang or "", "symbol": symbol or "", "year": year or "",
                  "min_confidence": min_confidence or "", "organ": organ or "",
                  "doctype": doctype or "", "limit": limit, "full": "1" if full else ""}
        if not q.strip():
            return page(request, "search.html", result=None, query="", params=params, totals=corpus(request).docs().totals)
        result = corpus(request).search(search_request(request, q, params["mode"], lang, symbol, year,
                                                       _confidence(min_confidence), organ, doctype, limit, offset))
        places = corpus(request).bead_places([h.bead_id for h in result.hits if h.bead_id])

        def link(**changes) -> str:
            return "/search?" + urlencode({k: v for k, v in (params | changes).items() if v not in ("", None)})

        export = urlencode({k: v for k, v in params.items() if v not in ("", None) and k != "full"} | {"offset": offset})
        return page(request, "search.html", result=result, query=q, params=params, offset=offset, places=places, full=full,
                    previous=link(offset=max(0, offset - limit)) if offset else None,
                    next=link(offset=offset + limit) if len(result.hits) == limit else None,
                    toggle=link(full="" if full else "1", offset=offset), export=export)

    @app.get("/variants", response_class=HTMLResponse)
    def variants_page(request: Request, q: str = "", lang: str | None = None, symbol: str | None = None,
                            year: str | None = None):
        found = corpus(request).variants(q, lang or None, filters(symbol, year, None, None, None)) if q.strip() else None
        other = ("ru" if found.lang == "en" else "en") if found else None
        return page(request, "variants.html", result=found, query=q, other=other)

    @app.get("/terms", response_class=HTMLResponse)
    def terms_page(request: Request, q: str = "", origin: str | None = None):
        """The termbase (the section's entries, then the mined terms saved), filtered by `q`, and
        the corpus's renderings of `q` as a term."""
        if origin not in (None, "", *TERM_ORIGINS):
            raise PrecedentError(f"unknown origin {origin!r}; choose {' or '.join(TERM_ORIGINS)}")
        opened = corpus(request)
        listing = opened.list_terms(q.strip() or None, origin or None, TERMS_SHOWN)
        lookup = opened.lookup_term(q) if q.strip() else None
        other = ("ru" if lookup.lang == "en" else "en") if lookup else None
        return page(request, "terms.html", result=listing, listing=listing, lookup=lookup, other=other, query=q, origin=origin or "",
                    origins=TERM_ORIGINS, shown=TERMS_SHOWN)

    @app.get("/api/terms")
    def api_terms(request: Request, q: str = "", origin: str | None = None, limit: int | None = None):
        if origin not in (None, "", *TERM_ORIGINS):
            raise PrecedentError(f"unknown origin {origin!r}; choose {' or '.join(TERM_ORIGINS)}")
        return JSONResponse(corpus(request).list_terms(q.strip() or None, origin or None, limit).as_dict())

    @app.get("/api/terms/lookup")
    def api_terms_lookup(request: Request, q: str, lang: str | None = None):
        return JSONResponse(corpus(request).lookup_term(q, lang or None).as_dict())

    @app.get("/corpus", response_class=HTMLResponse)
    def corpus_page(request: Request):
        return page(request, "corpus.html", result=corpus(request).docs())

    @app.get("/bitexts/{bitext_id}", response_class=HTMLResponse)
    def bitext_page(request: Request, bitext_id: int, level: str | None = None, bead: int | None = None,
                          q: str = "", lang: str | None = None):
        from precedent.report import ReportOptions

        view = corpus(request).bitext_view(bitext_id, level)
        current = [b for b in view.beads if b["bead_id"] == bead]
        segments = {s["segment_id"]: (side, s["text"]) for b in current for side in ("en", "ru") for s in b[side]}
        marks = corpus(request).query_marks(q, lang or None, segments) if q.strip() and segments else {}
        report = corpus(request).report(ReportOptions(bitext=bitext_id)).as_dict()
        flags = {f["bead_id"]: f["reasons"] for b in report["bitexts"] for f in b["flagged"]}
        return page(request, "bitext.html", result=view, flags=flags, bead=bead, marks=marks,
                    undoable=corpus(request).store.edit_count(bitext_id) if allow_edits else 0)

    @app.post("/bitexts/{bitext_id}/edit")
    def bitext_edit(request: Request, bitext_id: int, token: str = Form(""), action: str = Form(""),
                          bead_id: int | None = Form(None), side: str | None = Form(None), direction: str | None = Form(None),
                          en_at: int | None = Form(None), ru_at: int | None = Form(None)):
        from fastapi.responses import RedirectResponse

        done = _edit(token, bitext_id, action, bead_id, side, direction, en_at, ru_at, request)
        target = done["beads"][0] if done["beads"] else None
        anchor = f"?bead={target}#bead-{target}" if target else ""
        return RedirectResponse(f"/bitexts/{bitext_id}{anchor}", status_code=303)

    @app.get("/report", response_class=HTMLResponse)
    def report_page(request: Request, symbol: str | None = None):
        from precedent.report import ReportOptions

        header = '<link rel="stylesheet" href="/static/style.css">' + templates.get_template("header.html").render()
        return HTMLResponse(corpus(request).report(ReportOptions(symbol=symbol or None)).html(header))

    @app.get("/match", response_class=HTMLResponse)
    async def match_form(request: Request):
        return page(request, "match.html", body=None)

    @app.post("/match", response_class=HTMLResponse)
    async def match_page(request: Request):
        from precedent.match.outputs import html_body

        draft = await _draft(request)
        batch = await run_in_threadpool(_match, request, draft)
        return page(request, "match.html", body=html_body(batch, _fragment_search), result=batch, text=draft.text, lang=draft.lang)

    @app.get("/qa", response_class=HTMLResponse)
    async def qa_form(request: Request):
        return page(request, "qa.html", body=None)

    @app.post("/qa", response_class=HTMLResponse)
    async def qa_page(request: Request):
        from precedent.qa.outputs import html_body

        report = await run_in_threadpool(_qa, request, await _draft(request))
        return page(request, "qa.html", body=html_body(report), result=report)

    @app.post("/api/qa")
    async def api_qa(request: Request):
        report = await run_in_threadpool(_qa, request, await _draft(request))
        return JSONResponse(report.as_dict())

    # the JSON API: the CLI's --json answers, the CLI's options as query parameters

    @app.get("/api/search")
    def api_search(request: Request, q: str, mode: str | None = None, lang: str | None = None,
                         symbol: str | None = None, year: str | None = None, min_confidence: float | None = None,
                         organ: str | None = None, doctype: str | None = None,
                         limit: int = Query(10, ge=1, le=1000), offset: int = Query(0, ge=0, le=10000)):
        return JSONResponse(corpus(request).search(search_request(request, q, mode, lang, symbol, year, min_confidence,
                                                                  organ, doctype, limit, offset)).as_dict())

    @app.get("/api/search.{fmt}")
    def api_export(request: Request, fmt: str, q: str, mode: str | None = None, lang: str | None = None,
                         symbol: str | None = None, year: str | None = None, min_confidence: float | None = None,
                         organ: str | None = None, doctype: str | None = None,
                         limit: int = Query(20, ge=1, le=1000), offset: int = Query(0, ge=0, le=10000),
                         without_labels: bool = False):
        from precedent.search.export import write_csv, write_tmx

        if fmt not in ("tmx", "csv"):
            raise PrecedentError(f"export as tmx or csv, not {fmt}")
        result = corpus(request).search(search_request(request, q, mode, lang, symbol, year, min_confidence, organ,
                                                       doctype, limit, offset))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"hits.{fmt}"
            write_tmx(result, path, without_labels) if fmt == "tmx" else write_csv(result, path)
            content = path.read_bytes()
        media = "application/x-tmx+xml" if fmt == "tmx" else "text/csv; charset=utf-8"
        return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="hits.{fmt}"'})

    @app.get("/api/variants")
    def api_variants(request: Request, q: str, lang: str | None = None, symbol: str | None = None, year: str | None = None):
        return JSONResponse(corpus(request).variants(q, lang, filters(symbol, year, None, None, None)).as_dict())

    @app.get("/api/bitexts/{bitext_id}")
    def api_bitext(request: Request, bitext_id: int, level: str | None = None):
        return JSONResponse(corpus(request).bitext_view(bitext_id, level).as_dict())

    @app.post("/api/bitexts/{bitext_id}/edits")
    def api_edit(request: Request, bitext_id: int, token: str = Form(""), action: str = Form(""),
                       bead_id: int | None = Form(None), side: str | None = Form(None), direction: str | None = Form(None),
                       en_at: int | None = Form(None), ru_at: int | None = Form(None)):
        return JSONResponse(_edit(token, bitext_id, action, bead_id, side, direction, en_at, ru_at, request))

    def _edit(token: str, bitext_id: int, action: str, bead_id, side, direction, en_at, ru_at, request: Request) -> dict:
        """A correction (or `undo`), only when the server was started with --allow-edits, and by a
        signed-in user when it has users."""
        if not allow_edits:
            raise EditsRefused("edits are off: start the server with `precedent serve --allow-edits` to correct beads")
        _check(token)
        user = session_user(request)
        if users is not None and user is None:
            raise SignInNeeded("sign in to correct beads (/signin)")
        where = {k: v for k, v in (("side", side), ("direction", direction), ("en_at", en_at), ("ru_at", ru_at)) if v is not None}
        return corpus(request).edit_beads(bitext_id, action, bead_id, user=user, **where)

    def session_user(request: Request) -> str | None:
        """The signed-in user of a request: a cookie `name|expiry|signature`, signed with this server's key."""
        if users is None:
            return None
        name, _, rest = request.cookies.get(SESSION_COOKIE, "").partition("|")
        expiry, _, signature = rest.partition("|")
        if not name or not expiry.isdigit() or int(expiry) < time.time():
            return None
        if not secrets.compare_digest(signature, _sign(csrf, f"{name}|{expiry}")):
            return None
        return name if name in users.names() else None  # a user removed is signed out

    @app.get("/signin", response_class=HTMLResponse)
    def signin_form(request: Request, next: str = "/"):
        return page(request, "signin.html", next=_local(next))

    @app.post("/signin")
    def signin(request: Request, token: str = Form(""), name: str = Form(""), password: str = Form(""), next: str = Form("/")):
        from fastapi.responses import RedirectResponse

        _check(token)
        if users is None:
            raise PrecedentError("this server has no users to sign in (start it with --users FILE)")
        now = time.time()
        keys = (f"address:{request.client.host if request.client else ''}", f"name:{name}")
        for key in keys:
            failures[key] = [t for t in failures.get(key, []) if now - t < 60]
        if any(len(failures[key]) >= MAX_FAILED_SIGNINS for key in keys):
            raise TooManySignIns(f"{MAX_FAILED_SIGNINS} failed sign-ins in the last minute; wait a minute and try again")
        if not users.verify(name, password):
            for key in keys:
                failures[key].append(now)
            raise SignInNeeded("wrong name or password")
        expiry = str(int(now) + SESSION_SECONDS)
        response = RedirectResponse(_local(next), status_code=303)
        response.set_cookie(SESSION_COOKIE, f"{name}|{expiry}|{_sign(csrf, f'{name}|{expiry}')}", max_age=SESSION_SECONDS,
                            httponly=True, samesite="strict", secure=request.headers.get("x-forwarded-proto") == "https"
                            or request.url.scheme == "https")
        return response

    @app.post("/signout")
    def signout(request: Request, token: str = Form("")):
        from fastapi.responses import RedirectResponse

        _check(token)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    def _check(token: str) -> None:
        if not secrets.compare_digest(token, csrf):
            raise PrecedentError("this form has expired or came from elsewhere; reload the page and send it again")

    @app.get("/api/token")
    async def api_token():
        """The token every POST needs (a page on another site cannot read it)."""
        return {"token": csrf}

    @app.post("/api/match")
    async def api_match(request: Request):
        batch = await run_in_threadpool(_match, request, await _draft(request))
        return JSONResponse(batch.as_dict())

    async def _draft(request: Request) -> Draft:
        """The match form: its text fields may be as large as an upload (the framework's own
        limit, 1 MB, would refuse a long pasted draft in its words, not ours)."""
        from starlette.exceptions import HTTPException

        try:
            form = await request.form(max_part_size=max_upload_bytes + 1)
        except HTTPException as exc:
            if "maximum size" in str(exc.detail):
                raise PrecedentError(f"the pasted text is larger than {max_upload_bytes / 1e6:g} MB; split it into parts")
            raise PrecedentError(f"the form cannot be read: {exc.detail}") from None
        _check(str(form.get("token", "")))
        document, text = form.get("document"), form.get("text", "")
        draft = Draft(text if isinstance(text, str) else "", str(form.get("lang", "")))
        if not isinstance(document, str) and document is not None and document.filename:
            draft.filename = Path(document.filename).name or "document"
            draft.content = await document.read(max_upload_bytes + 1)
        return draft

    def _match(request: Request, draft: Draft):
        """A pasted text or an uploaded document, read by the readers `import` uses, matched
        unstored; a refusal names the user's file, in the page's terms."""
        if draft.lang not in ("", *LANGUAGES):
            raise PrecedentError(f"unknown language {draft.lang!r}; choose en, ru or detect")
        with tempfile.TemporaryDirectory() as folder:
            if draft.content is not None:
                if EXTENSIONS.get(Path(draft.filename).suffix.lower()) not in MONOLINGUAL:
                    raise PrecedentError(f"{draft.filename}: give a document ({', '.join(_document_extensions())})")
                if len(draft.content) > max_upload_bytes:
                    raise PrecedentError(f"{draft.filename}: larger than {max_upload_bytes / 1e6:g} MB, the most this server"
                                         " matches; split it into parts")
                path = Path(folder) / draft.filename
                path.write_bytes(draft.content)
            elif draft.text.strip():
                if len(draft.text.encode("utf-8")) > max_upload_bytes:
                    raise PrecedentError(f"the pasted text is larger than {max_upload_bytes / 1e6:g} MB; split it into parts")
                path = Path(folder) / "pasted text.txt"
                path.write_text(draft.text, encoding="utf-8")
            else:
                raise PrecedentError("paste a text or choose a document to match")
            try:
                return corpus(request).match([path], lang=draft.lang or None)
            except PrecedentError as exc:
                raise PrecedentError(in_page_terms(str(exc), path)) from None

    def _qa(request: Request, draft: Draft):
        """An uploaded translation (XLIFF, TMX, TSV) checked against the corpus, nothing stored."""
        from precedent.qa.inputs import FORMATS

        if draft.content is None:
            raise PrecedentError(f"choose the translation to check ({', '.join(sorted(FORMATS))})")
        if len(draft.content) > max_upload_bytes:
            raise PrecedentError(f"{draft.filename}: larger than {max_upload_bytes / 1e6:g} MB, the most this server"
                                 " checks; split it into parts")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / draft.filename
            path.write_bytes(draft.content)
            try:
                return corpus(request).qa([path])
            except PrecedentError as exc:
                raise PrecedentError(in_page_terms(str(exc), path)) from None

    return app


@dataclass
class Draft:
    """What the match form sent: a pasted text, or a document's name and bytes."""

    text: str
    lang: str
    filename: str = ""
    content: bytes | None = None


_CLI_ADVICE = [  # what a reader's message advises on the command line, and its counterpart in the page
    (re.compile(r"; [^;]*--encoding[^;]*$"), "; save it as UTF-8 and upload it again"),
    (re.compile(r"give --lang en or --lang ru"), "choose its language in the form"),
    (re.compile(r"; if the file is genuine, raise the limit with --max-unpacked-mb"), "; this server does not match it"),
]


TERMS_SHOWN = 500  # terms listed on the page at most (the filter narrows them)


def _fragment_search(text: str, lang: str) -> str:
    """The search page for a fragment's precedents: its words as a phrase, by lemma."""
    return "/search?" + urlencode({"q": text, "lang": lang, "mode": "lexical"})


def in_page_terms(message: str, path: Path) -> str:
    """A reader's message about a temporary copy, said of the user's file and in the page's terms."""
    message = message.replace(str(path), path.name)
    for pattern, words in _CLI_ADVICE:
        message = pattern.sub(words, message)
    return message


class EditsRefused(PrecedentError):
    """A correction sent to a server that was not started with --allow-edits."""


class SignInNeeded(PrecedentError):
    """A correction without a signed-in user, on a server that has users (401)."""


class TooManySignIns(PrecedentError):
    """Too many failed sign-ins from one address or for one name in a minute (429)."""


SESSION_COOKIE = "precedent_session"
SESSION_SECONDS = 12 * 3600  # a working day
MAX_FAILED_SIGNINS = 5  # per minute, per client address and per name, in each server process


def _sign(key: str, value: str) -> str:
    import hashlib
    import hmac

    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def _local(target: str) -> str:
    """A place on this server to go back to (never another site's)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _confidence(text: str | None) -> float | None:
    """The minimum confidence of a form field: empty is none."""
    if not text or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise PrecedentError(f"minimum confidence is a number between 0 and 1, not {text!r}") from None
    if not 0 <= value <= 1:
        raise PrecedentError(f"minimum confidence is a number between 0 and 1, not {text!r}")
    return value


def _document_extensions() -> list[str]:
    """The file extensions `precedent match` reads as a document (the readers' own table)."""
    return sorted(ext for ext, fmt in EXTENSIONS.items() if fmt in MONOLINGUAL)


def _shown(value):
    """A value as a page prints it: text with its control characters made visible (bidi
    overrides in a query parameter must not reorder the page); HTML already made is kept."""
    return visible(value) if type(value) is str else value


def _marked(side, full: bool = True) -> str:
    """A hit side as HTML: escaped, its highlights in <mark>, a window of words around them unless `full`."""
    from precedent.search.wording import kwic

    if side is None:
        return Markup('<span class="none">∅</span>')
    text, highlights = (side.text, side.highlights) if full else kwic(side.text, side.highlights)
    return Markup(html_marked(text, highlights))


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
