"""Exceptions the library raises for things a user can fix; the CLI prints them as one line and
exits with the exception's `exit_code`."""


class PrecedentError(Exception):
    """Base class: the message says what was found, what was expected and what to do."""

    exit_code = 1


class ConfigError(PrecedentError):
    """A setting in precedent.toml or the environment is invalid."""


class ModelError(PrecedentError):
    """The embedding model cannot be built or loaded."""


class StoreError(PrecedentError):
    """The corpus store cannot be opened, or an operation on it is invalid."""


class StoreWriteError(StoreError):
    """The store could not be written (the disk is full, or failing); the step was rolled back."""


class IndexMismatch(PrecedentError):
    """The search index was built with another analyzer or model than the one asked for."""


class IndexDamaged(PrecedentError):
    """A search index file is truncated, overwritten or fails its checksum; a rebuild repairs it."""


class IndexWriteError(PrecedentError):
    """The search index could not be written (the disk is full, or failing)."""


class QualityGateFailed(PrecedentError):
    """The corpus falls short of the alignment quality a maintainer asked for (exit 3, for CI)."""

    exit_code = 3


class IndexBusy(PrecedentError):
    """Another process is writing the index (exit 4)."""

    exit_code = 4
