"""The article in a web page: its text, blocks joined by a blank line, and its title.

Kept apart from ``loaders.read`` so that BeautifulSoup is imported only when a page is read.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from loaders.read import ReadError

NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
)
BLOCK_TAGS = (
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
    "td",
)
_BREAK = "\u2029"  # stands in for <br> until blocks are split
_BR = re.compile(r"<br\b[^>]*>", re.IGNORECASE)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """Plain text of an article page (blocks joined by a blank line) and its title."""
    # <br> becomes a break mark before parsing: replacing each in the tree costs a search of its
    # parent's children, so 20,000 of them in one block took seconds.
    soup = BeautifulSoup(_BR.sub(_BREAK, markup), "lxml")
    title = _html_title(soup)
    for tag in soup.find_all(NOISE_TAGS):
        tag.decompose()
    container = _main_container(soup)
    blocks = _blocks(container) if container is not None else []
    if not [block for block in blocks if block != title]:  # a headline alone is no article
        raise ReadError("no article body found")
    if title and blocks[0] != title:
        # The headline often sits in a page header that the noise filter removed.
        blocks.insert(0, title)
    return "\n\n".join(blocks), ({"headline": title} if title else {})


def _html_title(soup: BeautifulSoup) -> str | None:
    for tag in (soup.find("article"), soup):
        heading = tag.find("h1") if isinstance(tag, Tag) else None
        if heading is not None and (text := _inline_text(heading.get_text())):
            return text
    if soup.title is not None and (text := _inline_text(soup.title.get_text())):
        return text
    return None


def _main_container(soup: BeautifulSoup) -> Tag | None:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=_paragraph_weight)
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag):
        return main
    # Readability's idea: the element holding the most paragraph text is the body. Each parent
    # once (by identity: Tag equality compares whole subtrees), not once per paragraph.
    parents = {id(p.parent): p.parent for p in soup.find_all("p") if isinstance(p.parent, Tag)}
    if parents:
        return max(parents.values(), key=_paragraph_weight)
    return soup.body


def _paragraph_weight(tag: Tag) -> int:
    return sum(len(p.get_text(strip=True)) for p in tag.find_all("p"))


def _blocks(container: Tag) -> list[str]:
    leaves = [t for t in container.find_all(BLOCK_TAGS) if t.find(BLOCK_TAGS) is None]
    raw = [t.get_text() for t in leaves] if leaves else [container.get_text("\n")]
    blocks = []
    for chunk in raw:
        pieces = chunk.split(_BREAK) if leaves else re.split(f"[{_BREAK}\n]", chunk)
        blocks.extend(text for piece in pieces if (text := _inline_text(piece)))
    return blocks


def _inline_text(text: str) -> str:
    """Collapse source formatting: a line break between two CJK characters is no space."""
    text = re.sub(
        r"(?<=[\u3400-\u9fff])\s*\n\s*(?=[\u3400-\u9fff])",
        "",
        text.replace(_BREAK, " "),
    )
    return re.sub(r"\s+", " ", text).strip()
