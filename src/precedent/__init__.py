"""precedent: find how a wording was translated before, in an aligned English/Russian corpus."""

__version__ = "0.1.0"
