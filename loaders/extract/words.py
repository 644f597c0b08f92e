"""The tagger's words of one text, found by position with binary search.

Components and readers ask "which word holds this character", "which words end before here",
"which start after there" for every mention; a scan of the whole list each time made a long
paragraph cost the square of its length. The words are in order and do not overlap.
"""

from __future__ import annotations

import bisect

Word = tuple[int, int, str]


class WordIndex:
    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.starts = [w[0] for w in words]
        self.ends = [w[1] for w in words]

    def index_at(self, position: int) -> int | None:
        """The index of the word holding the character at ``position``."""
        i = bisect.bisect_right(self.starts, position) - 1
        return i if i >= 0 and self.words[i][0] <= position < self.words[i][1] else None

    def ending_in(self, position: int) -> Word | None:
        """The word that holds the character just before ``position`` (the word a span ending
        there ends in)."""
        i = self.index_at(position - 1) if position > 0 else None
        return self.words[i] if i is not None else None

    def before(self, position: int) -> int:
        """How many words end at or before ``position``: ``words[:before(p)]`` are those words."""
        return bisect.bisect_right(self.ends, position)

    def after(self, position: int) -> int:
        """The index of the first word starting at or after ``position``."""
        return bisect.bisect_left(self.starts, position)

    def between(self, start: int, end: int) -> list[Word]:
        """The words starting within ``[start, end)``."""
        return self.words[self.after(start) : self.after(end)]
