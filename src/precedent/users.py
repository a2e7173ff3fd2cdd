"""The people who may correct beads on a shared server: a file of `name:hash` lines, the hashes made
by argon2 (argon2-cffi, its recommended parameters), never a password. `precedent users add NAME`
writes one; `precedent serve --allow-edits` beyond this machine asks for a signed-in user."""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from precedent.errors import PrecedentError

NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MIN_PASSWORD = 10


@dataclass
class UsersFile:
    path: Path

    def _lines(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PrecedentError(f"{self.path}: cannot be read as a users file ({exc})") from None
        found = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            name, _, hashed = line.partition(":")
            if not NAME.match(name) or not hashed.startswith("$argon2"):
                raise PrecedentError(f"{self.path}: line {number} is not `name:argon2 hash`; add users with `precedent users add NAME`")
            found[name] = hashed
        return found

    def names(self) -> list[str]:
        return sorted(self._lines())

    def add(self, name: str, password: str) -> bool:
        """Add a user or give one a new password; True when the user is new."""
        from argon2 import PasswordHasher

        from precedent.search.export import write_text_atomically

        if not NAME.match(name):
            raise PrecedentError(f"a user name is 1-64 letters, digits, `.`, `_` or `-`, not {name!r}")
        if len(password) < MIN_PASSWORD:
            raise PrecedentError(f"a password has {MIN_PASSWORD} characters at least")
        lines = self._lines()
        new = name not in lines
        lines[name] = PasswordHasher().hash(password)
        write_text_atomically(self.path, "".join(f"{n}:{h}\n" for n, h in sorted(lines.items())))
        self.path.chmod(0o600)
        return new

    def remove(self, name: str) -> None:
        from precedent.search.export import write_text_atomically

        lines = self._lines()
        if name not in lines:
            raise PrecedentError(f"no user {name!r} in {self.path}")
        del lines[name]
        write_text_atomically(self.path, "".join(f"{n}:{h}\n" for n, h in sorted(lines.items())))

    def verify(self, name: str, password: str) -> bool:
        """Whether the password is the user's (a name not in the file costs a hash too: no timing tells it)."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        known = self._lines()
        hashed = known.get(name) or _unknown_user_hash()
        try:
            return PasswordHasher().verify(hashed, password) and name in known
        except (VerificationError, InvalidHashError):
            return False


@functools.cache
def _unknown_user_hash() -> str:
    """A hash of a random password, verified against for a name no user has."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(secrets.token_urlsafe(24))
