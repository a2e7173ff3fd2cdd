"""`precedent check`: is the corpus whole? The store's integrity, every segment in exactly one bead
of its level, the search index holding exactly what the store calls for, one vector row per entry
side, and every index file readable (tantivy writes a CRC32 footer on each file: we verify it, so
a damaged `.term` file is found before a search trips on it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from precedent.config import Layout
from precedent.errors import PrecedentError
from precedent.index import current_paths
from precedent.index.entries import store_keys
from precedent.index.fulltext import LANGS, damaged_files
from precedent.store import Store

SHOWN = 5  # examples named per problem


class CorpusDamaged(PrecedentError):
    """`precedent check` found problems; one line each."""


@dataclass
class CheckResult:
    checked: list[str] = field(default_factory=list)  # what was checked and held
    problems: list[str] = field(default_factory=list)
    signature: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"signature": self.signature, "ok": self.ok, "checked": self.checked, "problems": self.problems}

    def raise_for_problems(self) -> None:
        if self.problems:
            raise CorpusDamaged("\n".join(self.problems + ["repair the index with `precedent index --rebuild`"
                                                            if not any(p.startswith("store") for p in self.problems)
                                                            else "restore corpus.sqlite from a backup, or import again"]))


def _examples(items) -> str:
    items = sorted(items)
    return ", ".join(map(str, items[:SHOWN])) + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def check_corpus(store: Store, layout: Layout) -> CheckResult:
    result = CheckResult()
    integrity = store.integrity_problems()
    if integrity:
        result.problems += [f"store: {line}" for line in integrity[:SHOWN]]
        return result  # nothing else can be trusted
    result.checked.append("store integrity (PRAGMA integrity_check)")
    for bitext_id, level, covered, expected in store.bead_coverage():
        if covered != expected:
            result.problems.append(f"beads: bitext {bitext_id} has {covered} of its {expected} {level}-level segments in beads")
    if not any(p.startswith("beads") for p in result.problems):
        result.checked.append("every segment in exactly one bead of its level")
    state = store.index_state()
    if not state:
        result.checked.append("no search index yet (`precedent index` builds it)")
        return result
    _check_entries(store, layout, state, result)
    return result


def _check_entries(store: Store, layout: Layout, state: dict[str, str], result: CheckResult) -> None:
    wanted, held = store_keys(store), store.index_keys()
    missing, extra = wanted - held.keys(), held.keys() - wanted
    if missing:
        result.problems.append(f"index: {len(missing)} entries the store calls for are not indexed ({_examples(missing)});"
                               " run `precedent index`")
    if extra:
        result.problems.append(f"index: {len(extra)} entries whose beads or segments are gone ({_examples(extra)})")
    if not missing and not extra:
        result.checked.append(f"index entries = what the store holds ({len(wanted)})")
    fulltext, vector_dir = current_paths(layout, state)
    damaged = damaged_files(fulltext, whole=True)
    if damaged:
        result.problems += [f"index: {problem}" for problem in damaged]
        return
    from precedent.index.fulltext import open_index

    try:
        documents = open_index(fulltext).searcher().num_docs
    except BaseException as exc:  # tantivy's Rust panics arrive as BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        result.problems.append(f"index: the full-text index does not open ({exc})")
        return
    if documents != len(held):
        result.problems.append(f"index: the full-text index has {documents} documents, the store records {len(held)} entries")
    else:
        result.checked.append("full-text index files readable, CRCs intact, one document per entry")
    dimension = int(state.get("dimension", 0) or 0)
    if dimension:
        _check_vectors(vector_dir, state, dimension, set(held.values()), result)


def _check_vectors(folder: Path, state: dict[str, str], dimension: int, entry_nos: set[int], result: CheckResult) -> None:
    covered: set[int] = set()
    for lang in LANGS:
        rows = int(state.get(f"rows_{lang}", 0))
        data, numbers = folder / f"{lang}.sq8", folder / f"{lang}.rows"
        sizes = [p.stat().st_size if p.exists() else 0 for p in (data, numbers)]
        if sizes[0] < rows * dimension or sizes[1] < rows * 8 or (rows and not (folder / f"{lang}.scale").exists()):
            result.problems.append(f"vectors: {lang} files hold fewer than the {rows} committed rows")
            continue
        owners = np.fromfile(numbers, dtype=np.int64, count=rows)
        stray = set(owners.tolist()) - entry_nos
        if stray:
            result.problems.append(f"vectors: {len(stray)} {lang} rows belong to no index entry ({_examples(stray)})")
        if len(np.unique(owners)) != len(owners):
            result.problems.append(f"vectors: some {lang} entries have more than one row")
        covered |= set(owners.tolist())
    if not any(p.startswith("vectors") for p in result.problems):
        lacking = len(entry_nos - covered)
        result.checked.append("one vector row per entry side" + (f" ({lacking} entries added with --lexical-only have none;"
                                                                  " semantic search misses them)" if lacking else ""))
