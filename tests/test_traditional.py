"""An article in traditional characters reads as its simplified twin does, named as written."""

from __future__ import annotations

import opencc

from loaders import load_text
from loaders.extract.assemble import ArticleReader
from loaders.script import simplified as to_simplified

ARTICLE = (
    "尧都区总工会举办“职工书香节”活动\n\n"
    "4月23日，尧都区总工会举办“职工书香节”活动。区总工会主席周丽萍致辞，区委副书记林振华到场。"
    "尧都区总工会共投入经费6.2万元，购置图书2400多册。"
)


def test_a_traditional_article_reads_as_its_simplified_twin() -> None:
    reader = ArticleReader()
    traditional_text = opencc.OpenCC("s2tw").convert(ARTICLE)
    assert traditional_text != ARTICLE and to_simplified(traditional_text) == ARTICLE
    simplified = reader.read(load_text(ARTICLE, source="s.txt", key="s", date="2023-07-13"))
    traditional = reader.read(load_text(traditional_text, source="t.txt", key="t", date="2023-07-13"))

    def seen(facts):  # what an evaluation compares, in simplified characters
        return (
            {to_simplified(n) for n in facts.organizations},
            {to_simplified(n) for n in facts.people},
            {tuple(map(to_simplified, (p.person, p.role, p.organization))) for p in facts.posts},
            {to_simplified(n) for n in facts.campaigns},
            {(f.quantity.value, f.year, to_simplified(f.about or "")) for f in facts.figures},
        )

    assert seen(traditional) == seen(simplified)
    # Labels as written: 堯都區總工會, and 堯都區委 joined from the place and 區委 as the text spells them.
    assert {"堯都區總工會", "堯都區委"} <= set(traditional.organizations)
    posts = {(p.person, p.role, p.organization) for p in traditional.posts}
    assert ("周麗萍", "主席", "堯都區總工會") in posts


def test_series_and_sections_in_traditional_characters() -> None:
    text = (
        "“基層工會建設年”系列報道(二)\n\n扎實推進，服務職工\n\n□本報記者 林曉燕\n\n導語一句話。\n\n"
        "堯都區總工會\n\n建設職工之家\n\n堯都區總工會今年新建職工之家12個。"
    )
    article = load_text(text, source="t.txt", key="t")
    assert (article.series, article.part) == ("基層工會建設年", 2)
    assert article.reporters == ("林曉燕",)
    assert [s.heading for s in article.sections] == ["堯都區總工會"]
