"""`precedent serve` on a real small corpus (the UDHR pair aligned, the UNPC dev set, a document
with hostile text), a real tantivy index: the JSON API and pages through the framework's test
client, and the pages in a real browser (Playwright driving Debian's Chromium) on a real server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

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
    shutil.copytree(settings.index_dir, copy.index_dir)
    with TestClient(create_app(copy, allow_edits=True)) as editing:
        token = editing.get("/api/token").json()["token"]
        forged = editing.post("/api/bitexts/1/edits", data={"token": "x", "action": "verify", "bead_id": bead})
        assert forged.status_code == 400
        done = editing.post("/api/bitexts/1/edits", data={"token": token, "action": "verify", "bead_id": bead}).json()
        beads = editing.get("/api/bitexts/1").json()["beads"]
        assert beads[3]["bead_id"] == done["beads"][0] and beads[3]["method"] == "manual" and done["index"]["added"] == 1
        undone = editing.post("/api/bitexts/1/edits", data={"token": token, "action": "undo"}).json()
        assert undone["beads"] == [bead] and editing.get("/api/bitexts/1").json()["beads"][3]["method"] == "aligned"


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
def editing_server(settings, tmp_path_factory):
    copy = load_settings(tmp_path_factory.mktemp("edits") / "none.toml", index_dir=tmp_path_factory.mktemp("edits") / "index")
    shutil.copytree(settings.index_dir, copy.index_dir)
    url, process = _serve(copy, "--allow-edits")
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
    assert "human rights" in current.inner_text().lower() or "right" in current.inner_text().lower()
    assert current.is_visible()
    shoot(page, "web-document")
    page.goto(server + "/report")
    page.wait_for_selector("#bitexts")
    shoot(page, "web-report")
    page.close()


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


def test_in_a_browser_a_bead_is_corrected_and_the_correction_stays(editing_server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(editing_server + "/bitexts/1")
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
    page.click("form.undo button")
    page.wait_for_load_state()
    page.reload()
    assert page.locator("tr.bead").count() == count
    page.close()


def test_a_hostile_draft_and_its_precedent_are_escaped_on_the_match_page(client):
    token = client.get("/api/token").json()["token"]
    page = client.post("/match", data={"text": HOSTILE_EN, "token": token})
    assert page.status_code == 200 and "100%" in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text and "\u202e" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "&lt;U+202E&gt;" in page.text
