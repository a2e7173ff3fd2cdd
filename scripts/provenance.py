"""What every benchmark result records about its run: the precedent version, the git commit
(marked `+changes` when the work tree differs), and a checksum of the corpus files read."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from precedent import __version__

ROOT = Path(__file__).resolve().parents[1]


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def corpus_checksum(folder: Path) -> str:
    """sha256 over the relative paths and bytes of every file under the corpus folder, in order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def provenance(corpus: Path) -> dict:
    commit = _git("rev-parse", "HEAD") or "unknown"
    changed = bool(_git("status", "--porcelain", "--untracked-files=no"))
    return {"precedent": __version__, "commit": commit + ("+changes" if changed else ""),
            "corpus": str(corpus), "corpus_sha256": corpus_checksum(corpus)}
