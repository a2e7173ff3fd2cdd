"""The web app's views: one plain function per page or API resource, each over one Corpus call,
its request parsing shared (web/site.py). Views that touch the corpus are plain `def`s, which the
framework runs in its thread pool; those that read an upload await it, then hand the work to the
pool. `ROUTES` lists them for `create_app`."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from precedent.errors import PrecedentError
from precedent.readers import EXTENSIONS, MONOLINGUAL
from precedent.registries import TERM_ORIGINS
from precedent.text import LANGUAGES
from precedent.web.site import (MAX_FAILED_SIGNINS, SESSION_COOKIE, SESSION_SECONDS, EditsRefused, SignInNeeded,
                                TooManySignIns, check_token, confidence, corpus, default_mode, document_extensions,
                                filters, in_page_terms, local_target, page, search_request, session_user, sign, site)

TERMS_SHOWN = 500  # terms listed on the page at most (the filter narrows them)


@dataclass
class Draft:
    """What an upload form sent: a pasted text, or a document's name and bytes."""

    text: str
    lang: str
    filename: str = ""
    content: bytes | None = None


# pages

def start(request: Request):
    return page(request, "search.html", result=None, query="", params={"mode": default_mode(request)},
                totals=corpus(request).docs().totals)


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
                                                   confidence(min_confidence), organ, doctype, limit, offset))
    places = corpus(request).bead_places([h.bead_id for h in result.hits if h.bead_id])

    def link(**changes) -> str:
        return "/search?" + urlencode({k: v for k, v in (params | changes).items() if v not in ("", None)})

    export = urlencode({k: v for k, v in params.items() if v not in ("", None) and k != "full"} | {"offset": offset})
    return page(request, "search.html", result=result, query=q, params=params, offset=offset, places=places, full=full,
                previous=link(offset=max(0, offset - limit)) if offset else None,
                next=link(offset=offset + limit) if len(result.hits) == limit else None,
                toggle=link(full="" if full else "1", offset=offset), export=export)


def variants_page(request: Request, q: str = "", lang: str | None = None, symbol: str | None = None,
                  year: str | None = None):
    found = corpus(request).variants(q, lang or None, filters(symbol, year, None, None, None)) if q.strip() else None
    other = ("ru" if found.lang == "en" else "en") if found else None
    return page(request, "variants.html", result=found, query=q, other=other)


def terms_page(request: Request, q: str = "", origin: str | None = None):
    """The termbase (the section's entries, then the mined terms saved), filtered by `q`, and
    the corpus's renderings of `q` as a term."""
    _check_origin(origin)
    opened = corpus(request)
    listing = opened.list_terms(q.strip() or None, origin or None, TERMS_SHOWN)
    lookup = opened.lookup_term(q) if q.strip() else None
    other = ("ru" if lookup.lang == "en" else "en") if lookup else None
    return page(request, "terms.html", result=listing, listing=listing, lookup=lookup, other=other, query=q,
                origin=origin or "", origins=TERM_ORIGINS, shown=TERMS_SHOWN)


def corpus_page(request: Request):
    return page(request, "corpus.html", result=corpus(request).docs())


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
                undoable=corpus(request).store.edit_count(bitext_id) if site(request).allow_edits else 0)


def bitext_edit(request: Request, bitext_id: int, token: str = Form(""), action: str = Form(""),
                bead_id: int | None = Form(None), side: str | None = Form(None), direction: str | None = Form(None),
                en_at: int | None = Form(None), ru_at: int | None = Form(None)):
    done = _edit(request, token, bitext_id, action, bead_id, side, direction, en_at, ru_at)
    target = done["beads"][0] if done["beads"] else None
    anchor = f"?bead={target}#bead-{target}" if target else ""
    return RedirectResponse(f"/bitexts/{bitext_id}{anchor}", status_code=303)


def report_page(request: Request, symbol: str | None = None):
    from precedent.report import ReportOptions

    header = '<link rel="stylesheet" href="/static/style.css">' + site(request).templates.get_template("header.html").render()
    return HTMLResponse(corpus(request).report(ReportOptions(symbol=symbol or None)).html(header))


async def match_form(request: Request):
    return page(request, "match.html", body=None)


async def match_page(request: Request):
    from precedent.match.outputs import html_body

    draft = await _draft(request)
    batch = await run_in_threadpool(_match, request, draft)
    return page(request, "match.html", body=html_body(batch, fragment_search), result=batch, text=draft.text,
                lang=draft.lang)


async def qa_form(request: Request):
    return page(request, "qa.html", body=None)


async def qa_page(request: Request):
    from precedent.qa.outputs import html_body

    report = await run_in_threadpool(_qa, request, await _draft(request))
    return page(request, "qa.html", body=html_body(report), result=report)


def signin_form(request: Request, next: str = "/"):
    return page(request, "signin.html", next=local_target(next))


def signin(request: Request, token: str = Form(""), name: str = Form(""), password: str = Form(""), next: str = Form("/")):
    """A session for a user of the server's users file; five failed tries a minute per client
    address and per name, then refused without a look at the password."""
    here = site(request)
    check_token(request, token)
    if here.users is None:
        raise PrecedentError("this server has no users to sign in (start it with --users FILE)")
    now = time.time()
    keys = (f"address:{request.client.host if request.client else ''}", f"name:{name}")
    for key in keys:
        here.failures[key] = [t for t in here.failures.get(key, []) if now - t < 60]
    if any(len(here.failures[key]) >= MAX_FAILED_SIGNINS for key in keys):
        raise TooManySignIns(f"{MAX_FAILED_SIGNINS} failed sign-ins in the last minute; wait a minute and try again")
    if not here.users.verify(name, password):
        for key in keys:
            here.failures[key].append(now)
        raise SignInNeeded("wrong name or password")
    expiry = str(int(now) + SESSION_SECONDS)
    response = RedirectResponse(local_target(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, f"{name}|{expiry}|{sign(here.csrf, f'{name}|{expiry}')}", max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict",
                        secure=request.headers.get("x-forwarded-proto") == "https" or request.url.scheme == "https")
    return response


def signout(request: Request, token: str = Form("")):
    check_token(request, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# the JSON API: the CLI's --json answers, the CLI's options as query parameters

def api_search(request: Request, q: str, mode: str | None = None, lang: str | None = None,
               symbol: str | None = None, year: str | None = None, min_confidence: float | None = None,
               organ: str | None = None, doctype: str | None = None,
               limit: int = Query(10, ge=1, le=1000), offset: int = Query(0, ge=0, le=10000)):
    return JSONResponse(corpus(request).search(search_request(request, q, mode, lang, symbol, year, min_confidence,
                                                              organ, doctype, limit, offset)).as_dict())


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


def api_variants(request: Request, q: str, lang: str | None = None, symbol: str | None = None, year: str | None = None):
    return JSONResponse(corpus(request).variants(q, lang, filters(symbol, year, None, None, None)).as_dict())


def api_terms(request: Request, q: str = "", origin: str | None = None, limit: int | None = None):
    _check_origin(origin)
    return JSONResponse(corpus(request).list_terms(q.strip() or None, origin or None, limit).as_dict())


def api_terms_lookup(request: Request, q: str, lang: str | None = None):
    return JSONResponse(corpus(request).lookup_term(q, lang or None).as_dict())


def api_bitext(request: Request, bitext_id: int, level: str | None = None):
    return JSONResponse(corpus(request).bitext_view(bitext_id, level).as_dict())


def api_edit(request: Request, bitext_id: int, token: str = Form(""), action: str = Form(""),
             bead_id: int | None = Form(None), side: str | None = Form(None), direction: str | None = Form(None),
             en_at: int | None = Form(None), ru_at: int | None = Form(None)):
    return JSONResponse(_edit(request, token, bitext_id, action, bead_id, side, direction, en_at, ru_at))


async def api_token(request: Request):
    """The token every POST needs (a page on another site cannot read it)."""
    return {"token": site(request).csrf}


async def api_match(request: Request):
    batch = await run_in_threadpool(_match, request, await _draft(request))
    return JSONResponse(batch.as_dict())


async def api_qa(request: Request):
    report = await run_in_threadpool(_qa, request, await _draft(request))
    return JSONResponse(report.as_dict())


# the work behind them

def _check_origin(origin: str | None) -> None:
    if origin not in (None, "", *TERM_ORIGINS):
        raise PrecedentError(f"unknown origin {origin!r}; choose {' or '.join(TERM_ORIGINS)}")


def _edit(request: Request, token: str, bitext_id: int, action: str, bead_id, side, direction, en_at, ru_at) -> dict:
    """A correction (or `undo`), only when the server was started with --allow-edits, and by a
    signed-in user when it has users."""
    here = site(request)
    if not here.allow_edits:
        raise EditsRefused("edits are off: start the server with `precedent serve --allow-edits` to correct beads")
    check_token(request, token)
    user = session_user(request)
    if here.users is not None and user is None:
        raise SignInNeeded("sign in to correct beads (/signin)")
    where = {k: v for k, v in (("side", side), ("direction", direction), ("en_at", en_at), ("ru_at", ru_at)) if v is not None}
    return corpus(request).edit_beads(bitext_id, action, bead_id, user=user, **where)


async def _draft(request: Request) -> Draft:
    """An upload form: its text fields may be as large as an upload (the framework's own limit,
    1 MB, would refuse a long pasted draft in its words, not ours)."""
    from starlette.exceptions import HTTPException

    limit = site(request).max_upload_bytes
    try:
        form = await request.form(max_part_size=limit + 1)
    except HTTPException as exc:
        if "maximum size" in str(exc.detail):
            raise PrecedentError(f"the pasted text is larger than {limit / 1e6:g} MB; split it into parts")
        raise PrecedentError(f"the form cannot be read: {exc.detail}") from None
    check_token(request, str(form.get("token", "")))
    document, text = form.get("document"), form.get("text", "")
    draft = Draft(text if isinstance(text, str) else "", str(form.get("lang", "")))
    if not isinstance(document, str) and document is not None and document.filename:
        draft.filename = Path(document.filename).name or "document"
        draft.content = await document.read(limit + 1)
    return draft


def _match(request: Request, draft: Draft):
    """A pasted text or an uploaded document, read by the readers `import` uses, matched
    unstored; a refusal names the user's file, in the page's terms."""
    limit = site(request).max_upload_bytes
    if draft.lang not in ("", *LANGUAGES):
        raise PrecedentError(f"unknown language {draft.lang!r}; choose en, ru or detect")
    with tempfile.TemporaryDirectory() as folder:
        if draft.content is not None:
            if EXTENSIONS.get(Path(draft.filename).suffix.lower()) not in MONOLINGUAL:
                raise PrecedentError(f"{draft.filename}: give a document ({', '.join(document_extensions())})")
            if len(draft.content) > limit:
                raise PrecedentError(f"{draft.filename}: larger than {limit / 1e6:g} MB, the most this server"
                                     " matches; split it into parts")
            path = Path(folder) / draft.filename
            path.write_bytes(draft.content)
        elif draft.text.strip():
            if len(draft.text.encode("utf-8")) > limit:
                raise PrecedentError(f"the pasted text is larger than {limit / 1e6:g} MB; split it into parts")
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

    limit = site(request).max_upload_bytes
    if draft.content is None:
        raise PrecedentError(f"choose the translation to check ({', '.join(sorted(FORMATS))})")
    if len(draft.content) > limit:
        raise PrecedentError(f"{draft.filename}: larger than {limit / 1e6:g} MB, the most this server checks; split it into parts")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / draft.filename
        path.write_bytes(draft.content)
        try:
            return corpus(request).qa([path])
        except PrecedentError as exc:
            raise PrecedentError(in_page_terms(str(exc), path)) from None


def fragment_search(text: str, lang: str) -> str:
    """The search page for a fragment's precedents: its words, by lemma."""
    return "/search?" + urlencode({"q": text, "lang": lang, "mode": "lexical"})


HTML = {"response_class": HTMLResponse}
ROUTES = [  # (method, path, view, options)
    ("GET", "/", start, HTML), ("GET", "/search", search_page, HTML), ("GET", "/variants", variants_page, HTML),
    ("GET", "/terms", terms_page, HTML), ("GET", "/corpus", corpus_page, HTML),
    ("GET", "/bitexts/{bitext_id}", bitext_page, HTML), ("POST", "/bitexts/{bitext_id}/edit", bitext_edit, {}),
    ("GET", "/report", report_page, HTML), ("GET", "/match", match_form, HTML), ("POST", "/match", match_page, HTML),
    ("GET", "/qa", qa_form, HTML), ("POST", "/qa", qa_page, HTML),
    ("GET", "/signin", signin_form, HTML), ("POST", "/signin", signin, {}), ("POST", "/signout", signout, {}),
    ("GET", "/api/search", api_search, {}), ("GET", "/api/search.{fmt}", api_export, {}),
    ("GET", "/api/variants", api_variants, {}), ("GET", "/api/terms", api_terms, {}),
    ("GET", "/api/terms/lookup", api_terms_lookup, {}), ("GET", "/api/bitexts/{bitext_id}", api_bitext, {}),
    ("POST", "/api/bitexts/{bitext_id}/edits", api_edit, {}), ("GET", "/api/token", api_token, {}),
    ("POST", "/api/match", api_match, {}), ("POST", "/api/qa", api_qa, {}),
]
