"""Quoted text blanked out: what stands inside 《》 and “” is a name or a slogan, never a clause.

Plain Python, no dependency. The parsers search the masked copy and cut the original at the same
offsets, so the mask keeps every position: each quoted character becomes □.
"""

from __future__ import annotations


def mask_quotes(s: str) -> str:
    """Blank the inside of 《》 and “” (same length), so names and slogans hold no subject or directive word."""
    if "《" not in s and "“" not in s:
        return s
    out = list(s)
    depth = 0
    for i, c in enumerate(s):
        if c in "《“":
            depth += 1
        elif c in "》”":
            depth = max(0, depth - 1)
        elif depth:
            out[i] = "□"
    return "".join(out)
