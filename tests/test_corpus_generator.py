"""The scale benchmark's article generator: deterministic, and varied the way a real corpus is."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bench.corpus_generator import SURNAMES, article_texts, districts, write_corpus

# a post and the name after it, as the generator writes them (主席王伟介绍 …)
_OFFICIAL = re.compile(
    r"(?:常务副主席|副主席|主席|书记|董事长|局长|部长|主任)([\u4e00-\u9fff]{2,3}?)"
    r"(?=介绍|表示|说|出席|等|一行|带队|在讲话|、)"
)


def _names(text: str) -> set[str]:
    return {name for name in _OFFICIAL.findall(text) if name[0] in SURNAMES}


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", 12, seed=3)
    again = write_corpus(tmp_path / "b", 12, seed=3)
    other = write_corpus(tmp_path / "c", 12, seed=4)
    assert [p.name for p in first] == [f"article-{i:05d}.txt" for i in range(12)]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert len({p.read_bytes() for p in first}) == 12  # N distinct articles


def test_a_longer_corpus_starts_with_the_shorter_one() -> None:
    assert article_texts(30, seed=5)[:10] == article_texts(10, seed=5)


def test_articles_have_a_date_line_and_real_places() -> None:
    counties = {d.name for d in districts()}
    assert len(counties) > 2000  # the gazetteer's districts and counties, read from cpca's data
    for text in article_texts(20, seed=1):
        assert re.search(r"^发布时间：20(1[5-9]|2[0-4])-\d\d-\d\d", text, re.MULTILINE)
        assert any(f"{name}总工会" in text for name in counties)
        assert re.search(r"“[^”]+”(活动|工程|行动|竞赛|专项行动|系列活动|计划)", text)
        assert re.search(r"\d+(名|万元|个|人次|件|户)", text)


def test_entities_are_many_and_skewed() -> None:
    texts = article_texts(300, seed=7)
    in_articles: Counter[str] = Counter()
    for text in texts:
        in_articles.update(_names(text))
    assert len(in_articles) > 200, len(in_articles)  # many distinct people
    assert in_articles.most_common(1)[0][1] >= 10  # a few recur across many articles
    rare = sum(1 for count in in_articles.values() if count == 1)
    assert rare > len(in_articles) / 3  # most are rare
    counties = {d.name for d in districts()}
    places = Counter(name for t in texts for name in counties if f"{name}总工会" in t)
    assert len(places) > 50 and places.most_common(1)[0][1] >= 10
    campaigns = Counter(c for t in texts for c in set(re.findall(r"“([^”]+)”", t)))
    assert len(campaigns) > 100 and campaigns.most_common(1)[0][1] >= 10
