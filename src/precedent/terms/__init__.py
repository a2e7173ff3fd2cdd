"""Terminology: a term's renderings in the other language, from the aligned corpus."""
