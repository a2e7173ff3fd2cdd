"""What every view of the web app shares: the server's settings and secrets (`Site`, one per app,
in `app.state.site`), this thread's Corpus, the page renderer, the signed-in user, the form token,
and the errors a view raises (each its HTTP status)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from precedent.config import Settings
from precedent.corpus import Corpus
from precedent.errors import PrecedentError
from precedent.readers import EXTENSIONS, MONOLINGUAL
from precedent.search import Filters, SearchRequest
from precedent.text.visible import html_marked, visible
from precedent.users import UsersFile

HERE = Path(__file__).parent
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
SESSION_COOKIE = "precedent_session"
SESSION_SECONDS = 12 * 3600  # a working day
MAX_FAILED_SIGNINS = 5  # per minute, per client address and per name, in each server process


class EditsRefused(PrecedentError):
    """A correction sent to a server that was not started with --allow-edits (403)."""


class SignInNeeded(PrecedentError):
    """A correction without a signed-in user, on a server that has users (401)."""


class TooManySignIns(PrecedentError):
    """Too many failed sign-ins from one address or for one name in a minute (429)."""


def status_of(error: PrecedentError) -> int:
    return 401 if isinstance(error, SignInNeeded) else 429 if isinstance(error, TooManySignIns) else \
        403 if isinstance(error, EditsRefused) else 400


@dataclass
class Site:
    """One app's settings and secrets. `csrf` is the form token and the sessions' key, one per
    server run (shared by its worker processes); `served` the Host names it answers to."""

    settings: Settings
    allow_edits: bool
    max_upload_bytes: int
    served: set[str]
    csrf: str
    users: UsersFile | None
    templates: Jinja2Templates
    failures: dict[str, list[float]] = field(default_factory=dict)  # failed sign-ins by address and name, the last minute's
    local: threading.local = field(default_factory=threading.local)

    @classmethod
    def make(cls, settings: Settings, allow_edits: bool, max_upload_bytes: int, hosts: tuple[str, ...],
             csrf: str | None, users: UsersFile | None) -> "Site":
        templates = Jinja2Templates(directory=HERE / "templates")
        templates.env.filters["visible"] = visible
        templates.env.finalize = _shown  # every value a page prints, the request's parameters too
        templates.env.globals["marked"] = marked
        templates.env.globals["marked_text"] = lambda text, spans: Markup(html_marked(text, spans))
        templates.env.globals["document_extensions"] = ",".join(document_extensions())
        return cls(settings, allow_edits, max_upload_bytes, {h.lower() for h in (*LOCAL_HOSTS, "testserver", *hosts)},
                   csrf or secrets.token_urlsafe(32), users, templates)


def site(request: Request) -> Site:
    return request.app.state.site


def corpus(request: Request) -> Corpus:
    """This thread's Corpus: its own store connection, the index reader and the model shared.
    Views that touch the corpus are plain functions the framework runs in its thread pool (or
    hand their work to it), so a long match never holds up a search."""
    local = site(request).local
    opened = getattr(local, "corpus", None)
    if opened is None:
        opened = local.corpus = request.app.state.corpus.sibling()
    return opened


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    here = site(request)
    context |= {"csrf": here.csrf, "signature": getattr(context.get("result"), "signature", None),
                "allow_edits": here.allow_edits, "signin": here.users is not None, "user": session_user(request)}
    return here.templates.TemplateResponse(request, name, context, status_code=status)


def default_mode(request: Request) -> str:
    return "hybrid" if request.app.state.vectors else "lexical"


def filters(symbol, year, min_confidence, organ, doctype) -> Filters:
    return Filters(symbol or None, Filters.years_from(year), min_confidence, organ or None, doctype or None)


def search_request(request: Request, q, mode, lang, symbol, year, min_confidence, organ, doctype, limit, offset):
    """One search from a page's or the API's parameters (the CLI's options, by the same names)."""
    return SearchRequest(q, mode or default_mode(request), lang or None,
                         filters(symbol, year, min_confidence, organ, doctype), limit, offset)


def check_token(request: Request, token: str) -> None:
    if not secrets.compare_digest(token, site(request).csrf):
        raise PrecedentError("this form has expired or came from elsewhere; reload the page and send it again")


def session_user(request: Request) -> str | None:
    """The signed-in user of a request: a cookie `name|expiry|signature`, signed with the server's key."""
    here = site(request)
    if here.users is None:
        return None
    name, _, rest = request.cookies.get(SESSION_COOKIE, "").partition("|")
    expiry, _, signature = rest.partition("|")
    if not name or not expiry.isdigit() or int(expiry) < time.time():
        return None
    if not secrets.compare_digest(signature, sign(here.csrf, f"{name}|{expiry}")):
        return None
    return name if name in here.users.names() else None  # a user removed is signed out


def sign(key: str, value: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def local_target(target: str) -> str:
    """A place on this server to go back to (never another site's)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def confidence(text: str | None) -> float | None:
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


def document_extensions() -> list[str]:
    """The file extensions `precedent match` reads as a document (the readers' own table)."""
    return sorted(ext for ext, fmt in EXTENSIONS.items() if fmt in MONOLINGUAL)


_CLI_ADVICE = [  # what a reader's message advises on the command line, and its counterpart in the page
    (re.compile(r"; [^;]*--encoding[^;]*$"), "; save it as UTF-8 and upload it again"),
    (re.compile(r"give --lang en or --lang ru"), "choose its language in the form"),
    (re.compile(r"; if the file is genuine, raise the limit with --max-unpacked-mb"), "; this server does not match it"),
]


def in_page_terms(message: str, path: Path) -> str:
    """A reader's message about a temporary copy, said of the user's file and in the page's terms."""
    message = message.replace(str(path), path.name)
    for pattern, words in _CLI_ADVICE:
        message = pattern.sub(words, message)
    return message


def _shown(value):
    """A value as a page prints it: text with its control characters made visible (bidi
    overrides in a query parameter must not reorder the page); HTML already made is kept."""
    return visible(value) if type(value) is str else value


def marked(side, full: bool = True) -> str:
    """A hit side as HTML: escaped, its highlights in <mark>, a window of words around them unless `full`."""
    from precedent.search.wording import kwic

    if side is None:
        return Markup('<span class="none">∅</span>')
    text, highlights = (side.text, side.highlights) if full else kwic(side.text, side.highlights)
    return Markup(html_marked(text, highlights))
