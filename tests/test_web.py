"""`precedent serve` on a real small corpus (the UDHR pair aligned, the UNPC dev set, a document
with hostile text), a real tantivy index: the JSON API and pages through the framework's test
client, and the pages in a real browser (Playwright driving Debian's Chromium) on a real server."""

from __future__ import annotations

import html
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import copy_index_dir
from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.importer import ImportOptions
from precedent.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE_EN = ('The Assembly notes <script>alert(1)</script> and "><img src=x onerror=alert(2)> with '
              "javascript:alert(3) and a bidi \u202e override in the sovereign equality clause.")
HOSTILE_RU = ("Ассамблея отмечает <script>alert(1)</script> и \"><img src=x onerror=alert(2)> и "
              "javascript:alert(3) и \u202e в положении о суверенном равенстве.")
SCREENSHOTS = os.environ.get("PRECEDENT_SCREENSHOTS")  # a folder: the README's pictures are taken there


@pytest.fixture(scope="module")
def settings(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("web")
    settings = load_settings(folder / "none.toml", index_dir=folder / "index")
    (folder / "hostile.en.txt").write_text(HOSTILE_EN, encoding="utf-8")
    (folder / "hostile.ru.txt").write_text(HOSTILE_RU, encoding="utf-8")
    with Corpus.open(settings, create=True) as opened:
        opened.import_files([corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)"))
        opened.import_files([folder / "hostile.en.txt", folder / "hostile.ru.txt"], ImportOptions(symbol='X/<b>"1'))
        opened.import_files([corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
        opened.align()
        opened.index(lexical_only=True)
    return settings


@pytest.fixture(scope="module")
def client(settings):
    with TestClient(create_app(settings)) as client:
        yield client


def test_api_search_is_the_cli_json(client, settings):
    from typer.testing import CliRunner

    from precedent.cli import app

    api = client.get("/api/search", params={"q": "human rights", "mode": "lexical", "limit": 5}).json()
    cli = CliRunner().invoke(app, ["search", "human rights", "--mode", "lexical", "--limit", "5", "--json"],
                             env={"PRECEDENT_INDEX_DIR": str(settings.index_dir)})
    assert api == json.loads(cli.stdout) and len(api["hits"]) == 5
    assert client.get("/api/search", params={"q": '"unclosed'}).json()["error"].startswith("unbalanced quote")


def test_api_variants_bitext_and_exports(client):
    variants = client.get("/api/variants", params={"q": "human rights"}).json()
    assert variants["variants"][0]["lemmas"] == "право человек"
    bitext = client.get("/api/bitexts/1").json()
    assert bitext["symbol"] == "A/RES/217(III)" and bitext["beads"]
    tmx = client.get("/api/search.tmx", params={"q": "human rights", "mode": "lexical", "limit": 3})
    assert tmx.status_code == 200 and tmx.text.count("<tu ") == 3
    table = client.get("/api/search.csv", params={"q": "human rights", "mode": "lexical", "limit": 3})
    assert table.content.startswith("\ufeff".encode()) and len(table.text.splitlines()) == 4


def test_search_page_shows_highlighted_hits_linked_to_their_bead(client):
    page = client.get("/search", params={"q": "sovereign equality", "mode": "lexical"}).text
    assert "<mark>sovereign equality</mark>" in page and "/bitexts/" in page and "#bead-" in page


def test_every_corpus_text_is_escaped(client):
    for url, params in (("/search", {"q": "sovereign equality clause", "mode": "lexical", "full": "1"}), ("/corpus", {}),
                        ("/variants", {"q": "sovereign equality"})):
        page = client.get(url, params=params).text
        assert "<script>alert" not in page and "<img src=x" not in page and "\u202e" not in page, url
    page = client.get("/search", params={"q": "sovereign equality clause", "mode": "lexical", "full": "1"}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;U+202E&gt;" in page
    assert 'href="javascript:' not in page and "X/&lt;b&gt;&#34;1" in page


def test_no_file_outside_the_static_folder_can_be_read(client):
    for path in ("/static/../__init__.py", "/static/%2e%2e/__init__.py", "/static/..%2f..%2fconfig.py"):
        response = client.get(path)
        assert response.status_code == 404 and "create_app" not in response.text, path


def test_match_needs_the_token_and_bounds_uploads(client, settings, unpc):
    refused = client.post("/match", data={"text": unpc[0][10], "token": "forged"})
    assert refused.status_code == 400 and "expired or came from elsewhere" in refused.text
    token = client.get("/api/token").json()["token"]
    page = client.post("/match", data={"text": unpc[0][10], "token": token})
    assert page.status_code == 200 and "100%" in page.text
    matched = client.post("/api/match", data={"token": token}, files={"document": ("draft.en.txt", unpc[0][10].encode(), "text/plain")})
    assert matched.json()["documents"][0]["segments"][0]["matches"][0]["score"] == 100
    small = TestClient(create_app(settings, max_upload_bytes=100))
    with small:
        small_token = small.get("/api/token").json()["token"]
        big = small.post("/api/match", data={"token": small_token}, files={"document": ("big.en.txt", b"word " * 100, "text/plain")})
        assert big.status_code == 400 and "larger than" in big.json()["error"]
    memory = client.post("/api/match", data={"token": token}, files={"document": ("m.tmx", b"<tmx/>", "text/xml")})
    assert memory.status_code == 400 and "give a document" in memory.json()["error"]


def test_the_match_page_and_api_show_a_new_sentences_fragments_linked_to_their_precedents(client):
    token = client.get("/api/token").json()["token"]
    draft = "The Council discussed confidence-building measures with the group of governmental experts."
    page = client.post("/match", data={"text": draft, "lang": "en", "token": token})
    assert page.status_code == 200
    assert "<u class=frag>confidence-building measures</u>" in page.text
    assert 'href="/search?q=confidence-building+measures&amp;lang=en&amp;mode=lexical"' in page.text
    linked = client.get("/search?q=confidence-building+measures&lang=en&mode=lexical")
    assert linked.status_code == 200 and "укрепления доверия" in linked.text
    answer = client.post("/api/match", data={"text": draft, "lang": "en", "token": token}).json()
    segment = answer["documents"][0]["segments"][0]
    assert {f["text"] for f in segment["fragments"]} >= {"confidence-building measures", "group of governmental experts"}
    assert 0 < segment["coverage"] < 1 and answer["analysis"]["covered_words"] > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_edits_need_allow_edits_and_the_token(client, settings, tmp_path):
    token = client.get("/api/token").json()["token"]
    bead = client.get("/api/bitexts/1").json()["beads"][3]["bead_id"]
    refused = client.post("/api/bitexts/1/edits", data={"token": token, "action": "verify", "bead_id": bead})
    assert refused.status_code == 403 and "--allow-edits" in refused.json()["error"]
    copy = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    copy_index_dir(settings.index_dir, copy.index_dir)
    with TestClient(create_app(copy, allow_edits=True)) as editing:
        token = editing.get("/api/token").json()["token"]
        forged = editing.post("/api/bitexts/1/edits", data={"token": "x", "action": "verify", "bead_id": bead})
        assert forged.status_code == 400
        done = editing.post("/api/bitexts/1/edits", data={"token": token, "action": "verify", "bead_id": bead}).json()
        beads = editing.get("/api/bitexts/1").json()["beads"]
        assert beads[3]["bead_id"] == done["beads"][0] and beads[3]["method"] == "manual" and done["index"]["added"] == 1
        undone = editing.post("/api/bitexts/1/edits", data={"token": token, "action": "undo"}).json()
        assert undone["beads"] == [bead] and editing.get("/api/bitexts/1").json()["beads"][3]["method"] == "aligned"


EDITOR, EDITOR_PASSWORD = "maria", "a long passphrase"


def _serve(settings, *options: str):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "precedent", "--index-dir", str(settings.index_dir), "serve",
                                "--port", str(port), *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"serve exited: {process.stdout.read()}")
            time.sleep(0.1)
    return url, process


@pytest.fixture(scope="module")
def server(settings):
    url, process = _serve(settings)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def editing_copy(settings, tmp_path_factory):
    """A copy of the corpus with one user, for a server that takes corrections."""
    from precedent.users import UsersFile

    copy = load_settings(tmp_path_factory.mktemp("edits") / "none.toml", index_dir=tmp_path_factory.mktemp("edits") / "index")
    copy_index_dir(settings.index_dir, copy.index_dir)
    UsersFile(copy.index_dir / "users").add(EDITOR, EDITOR_PASSWORD)  # corrections need a signed-in user
    return copy


@pytest.fixture(scope="module")
def editing_server(editing_copy):
    url, process = _serve(editing_copy, "--allow-edits", "--workers", "2")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


@pytest.mark.slow
def test_in_a_browser_a_query_brings_highlighted_hits_and_opens_the_document(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(server + "/")
    page.fill("input[name=q]", "human rights")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("table.hits tbody tr.hit")
    assert page.locator("table.hits mark").count() >= 10
    assert "человека" in page.locator("table.hits td[lang=ru] mark").first.inner_text()
    shoot(page, "web-search")
    link = page.locator("table.hits td.where a", has_text="A/RES/217(III)").first
    link.click()
    page.wait_for_selector("tr.bead.current")
    current = page.locator("tr.bead.current")
    assert current.is_visible()
    # the searched words are marked in the bead opened from the hit, and their translation beside them
    assert "rights" in current.locator("td[lang=en] mark").first.inner_text().lower()
    assert "прав" in current.locator("td[lang=ru] mark").first.inner_text().lower()
    assert page.locator("tr.bead:not(.current) mark").count() == 0
    shoot(page, "web-document")
    page.goto(server + "/report")
    page.wait_for_selector("#bitexts")
    assert page.locator("header nav a[href='/search']").is_visible()  # the report has the navigation bar too
    shoot(page, "web-report")
    page.goto(server + "/corpus")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.close()


@pytest.mark.slow
def test_in_a_browser_a_pasted_draft_gets_its_precedents(server, browser, unpc):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(server + "/match")
    page.fill("textarea[name=text]", unpc[0][10] + "\n\n" + "The quick brown fox jumps over the lazy dog today.")
    page.click("form.match button")
    page.wait_for_selector("section.matched table")
    text = page.locator("section.matched").inner_text()
    assert "100%" in text and "no match" in text and unpc[1][10][:30] in text
    shoot(page, "web-match")
    page.close()


@pytest.mark.slow
def test_in_a_browser_a_bead_is_corrected_and_the_correction_stays(editing_server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editing_server + "/bitexts/1")
    page.click("text=Sign in")
    page.fill("input[name=name]", EDITOR)
    page.fill("input[name=password]", EDITOR_PASSWORD)
    page.click("button[type=submit]")
    page.goto(editing_server + "/bitexts/1")
    expect(page.locator("span.user")).to_have_text(EDITOR)
    rows = page.locator("tr.bead")
    count = rows.count()
    third, fourth = rows.nth(2).locator("td[lang=en]").inner_text(), rows.nth(3).locator("td[lang=en]").inner_text()
    rows.nth(2).locator("summary").click()
    rows.nth(2).locator("button[data-action=merge]").click()
    page.wait_for_selector("tr.bead.current")
    page.reload()
    rows = page.locator("tr.bead")
    assert rows.count() == count - 1
    merged = rows.nth(2)
    assert third.strip() in merged.inner_text() and fourth.strip() in merged.inner_text() and "manual" in merged.inner_text()
    shoot(page, "web-correction")
    rows.nth(40).scroll_into_view_if_needed()  # far down the document, Undo stays in view
    expect(page.locator("form.undo button")).to_be_in_viewport()
    page.click("form.undo button")
    page.wait_for_load_state()
    page.reload()
    assert page.locator("tr.bead").count() == count
    page.click("form.signout button")
    page.wait_for_load_state()
    expect(page.locator("a[href='/signin']")).to_be_visible()
    page.close()


def test_a_hostile_draft_and_its_precedent_are_escaped_on_the_match_page(client):
    token = client.get("/api/token").json()["token"]
    page = client.post("/match", data={"text": HOSTILE_EN, "token": token})
    assert page.status_code == 200 and "100%" in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text and "\u202e" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "&lt;U+202E&gt;" in page.text


@pytest.mark.parametrize("path", ["/search", "/api/search", "/api/search.csv", "/variants", "/api/variants"])
def test_an_unknown_language_is_a_400_with_a_message_not_a_500(client, path):
    """`lang=fr` gave HTTP 500 (`Field 'fr_lemma' is not defined in the schema`) and reset the connection."""
    response = client.get(path, params={"q": "human rights", "lang": "fr", "mode": "lexical"})
    assert response.status_code == 400 and "unknown language 'fr'" in html.unescape(response.text), response.text
    assert client.get("/api/search", params={"q": "human rights", "mode": "lexical"}).status_code == 200


def test_an_unknown_level_is_a_400(client):
    for path in ("/bitexts/1", "/api/bitexts/1"):
        response = client.get(path, params={"level": "chapter"})
        assert response.status_code == 400 and "unknown level 'chapter'" in html.unescape(response.text), response.text


def test_query_parameters_with_bidi_controls_are_shown_as_corpus_text_is(client):
    page = client.get("/search", params={"q": "human rights \u202e", "symbol": "A/\u202eRES", "mode": "lexical"}).text
    title = page[page.index("<title>"):page.index("</title>")]
    assert "\u202e" not in page and "&lt;U+202E&gt;" in title
    assert 'value="A/&lt;U+202E&gt;RES"' in page
    assert "\u202e" not in client.get("/variants", params={"q": "rights \u202e"}).text


def test_match_takes_every_document_extension_match_reads_and_answers_in_the_users_terms(client, tmp_path):
    token = client.get("/api/token").json()["token"]
    draft = "The General Assembly,\n\nRecalling the Universal Declaration of Human Rights,\n"
    for name in ("draft.htm", "draft.md", "draft.xhtml"):
        body = f"<html><body><p>{draft}</p></body></html>" if "htm" in name else draft
        answer = client.post("/api/match", data={"token": token}, files={"document": (name, body.encode(), "text/plain")})
        assert answer.status_code == 200, (name, answer.text)
    broken = client.post("/api/match", data={"token": token, "lang": "en"},
                         files={"document": ("my draft.txt", b"Plain words\n\n\xff\xfe\xc3\x28 broken \xe2\x82\n", "text/plain")})
    error = broken.json()["error"]
    assert broken.status_code == 400 and error.startswith("my draft.txt: not valid UTF-8"), error
    assert "/tmp" not in error and "--" not in error and "upload it again" in error
    # the form keeps the pasted text and its language after a match
    page = client.post("/match", data={"token": token, "text": draft, "lang": "en"}).text
    assert "Recalling the Universal Declaration of Human Rights,\n</textarea>" in page and "<option selected>en</option>" in page


def test_a_pasted_draft_may_be_as_large_as_the_documented_limit(settings):
    """A draft over 1 MB got the framework's `Field exceeded maximum size of 1024KB`, though the
    documented limit is 10 MB."""
    with TestClient(create_app(settings, max_upload_bytes=3_000_000)) as small:
        token = small.get("/api/token").json()["token"]
        text = "Recalling its resolutions on human rights.\n\n" * 36_000  # 1.6 MB
        accepted = small.post("/api/match", data={"token": token, "text": text, "lang": "xx"})
        assert accepted.status_code == 400 and "unknown language 'xx'" in accepted.json()["error"]  # the form was read
        too_large = small.post("/api/match", data={"token": token, "text": text * 2, "lang": "en"})
        assert too_large.status_code == 400 and too_large.json()["error"].startswith("the pasted text is larger than 3 MB")


def _bead_text(client, at: int) -> tuple[int, str]:
    bead = client.get("/api/bitexts/1").json()["beads"][at]
    return bead["bead_id"], " ".join(s["text"] for s in bead["en"])


def test_an_edit_while_another_process_writes_the_index_is_applied_and_says_the_index_follows(settings, tmp_path):
    """The edit was answered 400 "the index is being written by another process" though committed
    in the store: a user who retried applied it twice."""
    from precedent.index import current_paths
    from precedent.index.fulltext import open_index, writer

    copy = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    copy_index_dir(settings.index_dir, copy.index_dir)
    with TestClient(create_app(copy, allow_edits=True)) as editing:
        token = editing.get("/api/token").json()["token"]
        bead, text = _bead_text(editing, 5)
        with Corpus.open(copy) as other:  # another process's writer, as `precedent index` holds it
            held = writer(open_index(current_paths(copy.layout, other.store.index_state())[0]), copy.index_dir)
            done = editing.post("/api/bitexts/1/edits", data={"token": token, "action": "verify", "bead_id": bead})
            assert done.status_code == 200, done.text
            assert "being written by another process" in done.json()["index"]["pending"]
            new_bead = done.json()["beads"][0]
            assert _bead_text(editing, 5)[0] == new_bead != bead  # applied once, and said so
            hits = editing.get("/api/search", params={"q": text, "mode": "lexical", "limit": 50}).json()["hits"]
            assert bead not in [h["bead_id"] for h in hits]  # the index lags: what the store no longer holds is not shown
            del held
        followed = editing.post("/api/bitexts/1/edits", data={"token": token, "action": "verify", "bead_id": new_bead}).json()
        assert followed["index"]["removed"] == 1 and followed["index"]["added"] == 1  # the index caught up
        hits = editing.get("/api/search", params={"q": text, "mode": "lexical", "limit": 50}).json()["hits"]
        assert followed["beads"][0] in [h["bead_id"] for h in hits]


@pytest.mark.slow
def test_a_server_started_after_an_edit_cut_short_brings_the_index_in_line(settings, tmp_path):
    """kill -9 in the middle of a merge left the store whole and the index behind it (4 of 8 tries):
    searches returned beads that no longer existed until someone ran `precedent index`."""
    copy = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    copy_index_dir(settings.index_dir, copy.index_dir)
    with Corpus.open(copy) as corpus:  # the merge committed, the process gone before the index followed
        view = corpus.bitext_view(1)
        first, second = view.beads[7], view.beads[8]
        with corpus.store.transaction():
            merged = corpus.store.edit_beads(1, view.level, "merge", first["bead_id"]).as_dict()["beads"][0]
        text = " ".join(s["text"] for s in first["en"])
    url, process = _serve(copy)
    try:
        query = urllib.parse.urlencode({"q": text, "mode": "lexical", "limit": 50})
        hits = json.loads(urllib.request.urlopen(f"{url}/api/search?{query}", timeout=30).read())["hits"]
        shown = [h["bead_id"] for h in hits]
        assert merged in shown and first["bead_id"] not in shown and second["bead_id"] not in shown
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_in_a_browser_the_api_page_renders_with_no_network(server, browser):
    """/docs loaded Swagger UI from a CDN: offline, a blank page."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    elsewhere = []

    def only_precedent(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_precedent)
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert "precedent" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() >= 8 and elsewhere == []
    page.close()


def test_the_terms_page_lists_the_termbase_looks_up_a_term_and_escapes_entries(client, settings, tmp_path):
    glossary = tmp_path / "glossary.utf8"
    glossary.write_text("confidence-building measures\tмеры по укреплению доверия\tFirst Committee usage\n"
                        "<script>alert(1)</script> measures\tмеры <img src=x onerror=alert(2)>\n", encoding="utf-8")
    with Corpus.open(settings) as opened:
        opened.import_terms(glossary)
    page = client.get("/terms", params={"q": "confidence-building measures"})
    assert page.status_code == 200
    assert "меры по укреплению доверия" in page.text and "First Committee usage" in page.text
    renderings = page.text.split('id="renderings"')[1].split("</table>")[0]
    assert "termbase" in renderings and "меры по укреплению доверия" in renderings
    listing = client.get("/terms").text
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;" in listing and "<img src=x" not in listing
    assert client.get("/api/terms", params={"q": "укреплению"}).json()["terms"][0]["en"] == "confidence-building measures"
    assert client.get("/terms", params={"origin": "nowhere"}).status_code == 400
    search = client.get("/search", params={"q": "меры укрепления доверия", "mode": "lexical"})
    assert "Term (termbase)" in search.text and "confidence-building measures" in search.text
    answer = client.get("/api/search", params={"q": "мерам по укреплению доверия", "mode": "lexical"}).json()
    assert answer["terms"][0]["en"] == "confidence-building measures" and answer["terms"][0]["origin"] == "termbase"
    assert client.get("/api/search", params={"q": "мерам по укреплению доверия", "mode": "lexical", "offset": 10}).json()["terms"] == []


def test_the_qa_page_and_api_check_an_uploaded_translation(client, unpc):
    token = client.get("/api/token").json()["token"]
    source, target = unpc[0][10], unpc[1][10]
    job = f"{source}\t{target}\n{source}\t\n".encode()
    page = client.post("/qa", data={"token": token}, files={"document": ("job.tsv", job, "text/tab-separated-values")})
    assert page.status_code == 200 and "id=f-empty" in page.text and "the segment has no translation" in page.text
    answer = client.post("/api/qa", data={"token": token}, files={"document": ("job.tsv", job, "text/plain")}).json()
    assert answer["summary"].get("empty") == 1 and answer["documents"][0]["segments"][0]["issues"] == []
    refused = client.post("/api/qa", data={"token": token}, files={"document": ("job.xyz", b"x", "text/plain")})
    assert refused.status_code == 400 and "unknown format" in refused.json()["error"]
    assert client.post("/api/qa", data={"token": token}).status_code == 400
    assert client.post("/api/qa", data={"token": "forged"}, files={"document": ("job.tsv", job, "text/plain")}).status_code == 400


@pytest.mark.slow
def test_a_search_answers_while_a_long_match_runs(client, unpc):
    """Corpus work runs in the server's thread pool, each thread with its own store connection and
    index reader: a search sent while a 1,500-segment match runs is answered before the match ends."""
    import threading

    token = client.get("/api/token").json()["token"]
    draft = "\n\n".join(unpc[0][100:1600]).encode()
    matched: dict = {}

    def long_match() -> None:
        matched["response"] = client.post("/api/match", data={"token": token, "lang": "en"},
                                          files={"document": ("long.en.txt", draft, "text/plain")})

    worker = threading.Thread(target=long_match)
    worker.start()
    try:
        answered_during = []
        for query in ("human rights", "меры укрепления доверия", "Security Council"):
            found = client.get("/api/search", params={"q": query, "mode": "lexical", "limit": 3})
            answered_during.append(found.status_code == 200 and bool(found.json()["hits"]) and worker.is_alive())
    finally:
        worker.join()
    assert matched["response"].status_code == 200
    assert len(matched["response"].json()["documents"][0]["segments"]) >= 1000
    assert all(answered_during), answered_during


@pytest.mark.slow
def test_the_server_finds_what_another_process_indexed_after_it_started(tmp_path, corpus):
    settings = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    with Corpus.open(settings, create=True) as opened:
        opened.import_files([corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)"))
        opened.align()
        opened.index(lexical_only=True)
    (tmp_path / "late.en.txt").write_text("The Zanzibar archipelago cooperation programme was launched.\n", encoding="utf-8")
    (tmp_path / "late.ru.txt").write_text("Была начата программа сотрудничества архипелага Занзибар.\n", encoding="utf-8")
    with TestClient(create_app(settings)) as client:
        before = client.get("/api/search", params={"q": "Zanzibar", "mode": "lexical"}).json()
        assert before["hits"] == []
        with Corpus.open(settings) as other:  # another connection: as `precedent import` + `precedent index` would
            other.import_files([tmp_path / "late.en.txt", tmp_path / "late.ru.txt"], ImportOptions(symbol="X/LATE/1"))
            other.align()
            other.index(lexical_only=True)
        after = client.get("/api/search", params={"q": "Zanzibar", "mode": "lexical"}).json()
        assert [h["symbol"] for h in after["hits"]] == ["X/LATE/1"]


def test_a_foreign_host_or_a_cross_site_post_is_refused_and_every_answer_has_the_security_headers(client, settings):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400  # DNS rebinding: not our name
    assert client.get("/api/token", headers={"Host": "evil.example:8000"}).status_code == 400
    token = client.get("/api/token").json()["token"]
    cross = client.post("/api/match", data={"token": token, "text": "Human rights"}, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403 and "another site" in cross.json()["error"]
    fetched = client.post("/api/match", data={"token": token, "text": "Human rights"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403
    assert client.post("/api/match", data={"token": token, "text": "Human rights"},
                       headers={"Origin": "http://127.0.0.1:8000"}).status_code == 200
    for path in ("/", "/search?q=rights", "/api/search?q=rights", "/static/style.css", "/bitexts/99999", "/docs"):
        answer = client.get(path)
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff", path
    with TestClient(create_app(settings, hosts=("concordance.example",))) as named:
        assert named.get("/api/token", headers={"Host": "concordance.example"}).status_code == 200


@pytest.mark.slow
def test_two_worker_processes_serve_searches_and_see_each_others_edits(editing_server, editing_copy):
    """`precedent serve --workers 2` (the default on two cores): a correction made through one
    worker is found by every later search, whichever worker answers it."""
    import http.cookiejar

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(path: str) -> dict:
        with opener.open(editing_server + path, timeout=30) as answer:
            return json.load(answer)

    def post(path: str, form: dict):
        with opener.open(urllib.request.Request(editing_server + path, data=urllib.parse.urlencode(form).encode()),
                         timeout=60) as answer:
            return answer.read()

    view = get("/api/bitexts/1")  # the UDHR, aligned by precedent
    bead = next(b for b in view["beads"][10:] if len(" ".join(s["text"] for s in b["en"])) > 80 and b["ru"])
    words = " ".join(" ".join(s["text"] for s in bead["en"]).replace('"', " ").split()[:8])
    query = urllib.parse.urlencode({"q": f'"{words}"', "mode": "lexical", "symbol": view["symbol"]})
    assert bead["bead_id"] in [h["bead_id"] for h in get(f"/api/search?{query}")["hits"]]
    token = get("/api/token")["token"]
    post("/signin", {"token": token, "name": EDITOR, "password": EDITOR_PASSWORD})
    done = json.loads(post("/api/bitexts/1/edits", {"token": token, "action": "verify", "bead_id": bead["bead_id"]}))
    new = done["beads"][0]
    seen = [[h["bead_id"] for h in get(f"/api/search?{query}")["hits"]] for _ in range(12)]
    assert all(new in ids and bead["bead_id"] not in ids for ids in seen), seen
    # two conflicting corrections at once (merging a bead with the next, and that next with its own),
    # whichever workers take them: one at a time in the store, every segment in exactly one bead
    import threading

    ids = [b["bead_id"] for b in get("/api/bitexts/1")["beads"]]
    answers: list = []

    def merge(bead_id: int) -> None:
        try:
            answers.append(json.loads(post("/api/bitexts/1/edits", {"token": token, "action": "merge", "bead_id": bead_id})))
        except urllib.error.HTTPError as exc:
            answers.append(json.load(exc))

    both = [threading.Thread(target=merge, args=(bead_id,)) for bead_id in (ids[20], ids[21])]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    assert any("beads" in answer for answer in answers), answers
    checked = subprocess.run([sys.executable, "-m", "precedent", "--index-dir", str(editing_copy.index_dir), "check", "--json"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_corrections_need_a_signed_in_user_whose_name_the_edit_records(settings, tmp_path):
    from typer.testing import CliRunner

    from precedent.cli import app as cli
    from precedent.users import UsersFile

    copy = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    copy_index_dir(settings.index_dir, copy.index_dir)
    added = CliRunner().invoke(cli, ["--index-dir", str(copy.index_dir), "users", "add", "maria", "--password-stdin"],
                               input="a long passphrase\n")
    assert added.exit_code == 0 and "added maria" in added.output
    users = UsersFile(copy.index_dir / "users")
    assert users.names() == ["maria"] and "a long passphrase" not in users.path.read_text()
    with TestClient(create_app(copy, allow_edits=True, users=users)) as client:
        token = client.get("/api/token").json()["token"]
        bead = client.get("/api/bitexts/1").json()["beads"][5]["bead_id"]
        edit = {"token": token, "action": "verify", "bead_id": bead}
        refused = client.post("/api/bitexts/1/edits", data=edit)
        assert refused.status_code == 401 and "sign in" in refused.json()["error"]
        assert "Sign in" in client.get("/search").text
        signed = client.post("/signin", data={"token": token, "name": "maria", "password": "a long passphrase",
                                              "next": "/bitexts/1"}, follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/bitexts/1"
        assert "httponly" in signed.headers["set-cookie"].lower() and "samesite=strict" in signed.headers["set-cookie"].lower()
        assert "maria" in client.get("/search").text
        done = client.post("/api/bitexts/1/edits", data=edit)
        assert done.status_code == 200
        with Corpus.open(copy) as opened:
            assert opened.store.edit_log(1)[0]["user"] == "maria"
        client.post("/signout", data={"token": token})
        assert client.post("/api/bitexts/1/edits", data={**edit, "bead_id": done.json()["beads"][0]}).status_code == 401
        client.cookies.set("precedent_session", "maria|99999999999|forged")
        assert client.post("/api/bitexts/1/edits", data={**edit, "bead_id": done.json()["beads"][0]}).status_code == 401
        client.cookies.clear()
        wrong = [client.post("/signin", data={"token": token, "name": "maria", "password": f"guess {n}"}).status_code
                 for n in range(6)]
        assert wrong == [401] * 5 + [429]  # five failures a minute, then refused without a look at the password
    copy_index_dir(settings.index_dir, tmp_path / "without-users")
    served = CliRunner().invoke(cli, ["--index-dir", str(tmp_path / "without-users"), "serve", "--host", "0.0.0.0", "--allow-edits"])
    assert served.exit_code == 1 and "needs sign-in" in served.output  # refused before it listens
