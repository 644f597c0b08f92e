"""People: every name the tagger finds is kept unless evidence rules it out; cues are recorded.

The rule tests fix the tagger's output (``doc._.words``) so that each rule is tested on its own,
whatever the statistical model would say; the last tests run the whole reader. Every sentence is
written for the test.
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from loaders import load_text
from loaders.extract.assemble import ArticleReader
from loaders.extract.dictionary import is_common_word, is_known_word, surnames
from loaders.extract.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def tagged(nlp: Language, words: str) -> Doc:
    """A text as the components after the tagger see it, with the tagger's words given as
    ``word/TAG word/TAG ...``."""
    pairs = [item.rsplit("/", 1) for item in words.split()]
    doc = nlp.make_doc("".join(word for word, _ in pairs))
    position, spans = 0, []
    for word, tag in pairs:
        spans.append((position, position + len(word), tag))
        position += len(word)
    doc._.words = spans
    for name in ("gh_organizations", "gh_titles", "gh_people"):
        doc = nlp.get_pipe(name)(doc)
    return doc


def people(doc: Doc) -> dict[str, tuple[str, ...]]:
    return {span.text: span._.evidence for span in doc.spans["gh_person"]}


def test_a_tagged_name_needs_no_title_or_verb(nlp: Language) -> None:
    doc = tagged(nlp, "昨天/TIME 林晓燕/PER 去/v 了/u 社区/n 。/w")
    assert people(doc) == {"林晓燕": ("tagger",)}


def test_cues_are_recorded_as_evidence(nlp: Language) -> None:
    doc = tagged(nlp, "副镇长/n 柯振邦/PER 出席/v 并/c 讲话/v ，/w 快递员/n 贺明远/PER 说/v 很/d 好/a 。/w")
    found = people(doc)
    assert set(found["柯振邦"]) == {"tagger", "title", "presence"}
    assert set(found["贺明远"]) == {"tagger", "descriptor", "saying"}


def test_a_common_word_the_tagger_calls_a_name_is_dropped(nlp: Language) -> None:
    # 相识 is a verb in the general dictionary: without a cue it is no name.
    doc = tagged(nlp, "两/m 人/n 相识/PER 多年/m 。/w")
    assert people(doc) == {}


def test_a_cue_outweighs_the_dictionary(nlp: Language) -> None:
    doc = tagged(nlp, "主任/n 马克/PER 说/v 好/a 。/w")
    assert "马克" in people(doc)


def test_goods_listed_with_counts_are_no_people(nlp: Language) -> None:
    doc = tagged(nlp, "送去/v 金银花/PER 20箱/m 、/w 罗汉果/PER 30箱/m 。/w")
    assert people(doc) == {}
    assert doc.user_data["gh_counted"] == {"金银花", "罗汉果"}


def test_a_date_after_a_name_is_no_count(nlp: Language) -> None:
    doc = tagged(nlp, "林晓燕/PER 28日/TIME 说/v ，/w")
    assert "林晓燕" in people(doc)


def test_a_quoted_word_that_qualifies_a_noun_is_no_name(nlp: Language) -> None:
    doc = tagged(nlp, "修好/v 了/u “/w 林安/PER ”/w 大桥/n 。/w")
    assert people(doc) == {}


def test_a_name_inside_an_organization_is_no_person(nlp: Language) -> None:
    doc = tagged(nlp, "柯振邦有限公司/ORG 成立/v 。/w")
    doc2 = tagged(nlp, "柯振邦/PER 有限公司/n 成立/v 。/w")
    assert people(doc) == {} and people(doc2) == {}


def test_a_name_the_tagger_missed_after_a_title(nlp: Language) -> None:
    # The tagger read the name as a place; the title before it and the verb after it make it a name.
    doc = tagged(nlp, "副书记/n 符振华/LOC 出席/v 。/w")
    assert people(doc) == {"符振华": ("presence", "surname", "title")}


def test_no_name_is_made_of_a_verb_after_a_descriptor(nlp: Language) -> None:
    doc = tagged(nlp, "实现/v 职工/n 规范化/vn 、/w 制度化/vn 。/w")
    assert people(doc) == {}


def test_the_general_dictionary() -> None:
    assert is_common_word("相识") and not is_common_word("周恩来")
    assert is_known_word("社区") and not is_known_word("柯振邦")
    assert {"王", "李", "黄", "欧"} <= surnames() and "的" not in surnames()


def test_a_name_cut_short_in_one_place_is_the_whole_name(nlp: Language) -> None:
    # The tagger reads the name whole before a verb of saying and cuts it short elsewhere.
    article = load_text("主席柯振邦说好。会上柯振邦介绍经验。", source="t", key="t")
    (paragraph,) = article.paragraphs
    words = "主席/n 柯振邦/PER 说/v 好/a 。/w 会上/n 柯振/PER 邦/a 介绍/v 经验/n 。/w"
    doc = tagged(nlp, words)
    for name in ("gh_campaigns", "gh_figures"):
        doc = nlp.get_pipe(name)(doc)
    assert paragraph.text == doc.text
    facts = ArticleReader().read_docs(article, [doc])
    assert set(facts.people) == {"柯振邦"}


def test_a_name_between_two_bodies_whose_commas_were_lost(nlp: Language) -> None:
    doc = tagged(nlp, "山西华康机械有限公司/ORG 柯振邦/LOC 浙江恒达物流有限公司/ORG 获奖/v 。/w")
    assert "柯振邦" in people(doc)
