"""The one way a stage says "no verdict is possible on this input"."""
from __future__ import annotations


class Unusable(Exception):
    """Input the validator cannot judge; str() is the one-line reason shown to the user (exit 2)."""
