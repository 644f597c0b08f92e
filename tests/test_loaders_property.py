"""Whatever bytes or text arrive, loading gives an Article or a LoadError, and every offset
points into the text in order."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import Article, LoadError, load, load_text

# Chinese-news-shaped text: hanzi, ASCII, the punctuation and line breaks cleaning cares about.
NEWSY = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),
        st.sampled_from(list("，。！？；：、“”‘’（）《》…,.:;!?()\"' \u3000\n\r\f\t□0123456789%+-/and")),
        st.characters(),
    ),
    max_size=300,
)


def check_offsets(article: Article) -> None:
    previous = -1
    for sentence in article.sentences:
        assert sentence.text
        assert len(sentence.offsets) == len(sentence.text)
        for offset in sentence.offsets:
            assert previous < offset < len(article.text)
            previous = offset
    for section in article.sections:
        assert 0 <= section.start < section.end <= len(article.text)


@settings(max_examples=200, deadline=None)
@given(text=NEWSY)
def test_any_text_structures(text: str) -> None:
    check_offsets(load_text(text, "random.txt", "random"))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".jsonl"]))
def test_any_bytes_load_or_fail_cleanly(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(data)
        result = load([path])
    assert all(isinstance(e, LoadError) and e.reason for e in result.errors)
    assert result.articles or result.errors
    for article in result.articles:
        check_offsets(article)


@settings(max_examples=200, deadline=None)
@given(text=NEWSY, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_encoded_text_round_trips_or_fails_cleanly(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.txt"
        path.write_bytes(data)
        result = load([path])
    for article in result.articles:
        check_offsets(article)
        if encoding != "gb18030" and "\x00" not in text:  # BOM or strict UTF-8: no doubt
            assert article.text == text
