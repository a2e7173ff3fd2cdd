"""Exceptions the library raises for things a user can fix; the CLI prints them as one line."""


class PrecedentError(Exception):
    """Base class: the message says what was found, what was expected and what to do."""


class ConfigError(PrecedentError):
    """A setting in precedent.toml or the environment is invalid."""


class ModelError(PrecedentError):
    """The embedding model cannot be built or loaded."""


class StoreError(PrecedentError):
    """The corpus store cannot be opened, or an operation on it is invalid."""
