"""The body a figure is about: who acts in its sentence. Sentences written for the test."""

from __future__ import annotations

import pytest

from loaders import load_text
from loaders.extract.assemble import ArticleReader


@pytest.fixture(scope="module")
def reader() -> ArticleReader:
    return ArticleReader()


def about(reader: ArticleReader, text: str) -> dict[str, str | None]:
    facts = reader.read(load_text(text, source="t.txt", key="t"))
    return {figure.text: figure.about for figure in facts.figures}


def test_bodies_after_a_verb_are_objects_not_actors(reader: ArticleReader) -> None:
    text = "近日，尧都区总工会先后到尧都区疾病预防控制中心、尧都区公安分局，为近300名职工体检。"
    found = about(reader, text)
    assert found["近300名"] == "尧都区总工会"


def test_a_person_acting_makes_no_body_the_subject(reader: ArticleReader) -> None:
    found = about(reader, "尧都区总工会开展慰问。王振华一行到尧都区公安分局，把500元奖励金交给获奖职工。")
    assert found["500元"] is None


def test_a_counted_collective_is_no_named_body(reader: ArticleReader) -> None:
    found = about(reader, "尧都区总工会开展宣传。12个基层工会在街道悬挂条幅40个。")
    assert found["12个"] is None and found["40个"] is None


def test_several_bodies_listed_act_together(reader: ArticleReader) -> None:
    found = about(reader, "山西华康机械有限公司、山西恒达物流有限公司等20余家企业参加活动。")
    assert found["20余家"] is None


def test_an_omitted_subject_continues_the_paragraph(reader: ArticleReader) -> None:
    found = about(reader, "尧都区总工会开展暖心帮扶活动。给患病职工各送去800元帮扶金。")
    assert found["800元"] == "尧都区总工会"


def test_a_campaign_acting_stands_for_the_body_that_runs_it(reader: ArticleReader) -> None:
    text = "尧都区总工会开展“冬日暖心”活动。林振华表示，很好。此次“冬日暖心”活动将慰问15家企业。"
    assert about(reader, text)["15家"] == "尧都区总工会"


def test_the_agent_of_the_figures_own_clause(reader: ArticleReader) -> None:
    found = about(reader, "尧都区总工会募集善款，由山西华康机械有限公司捐助60万元，用于帮扶120名职工。")
    assert found["60万元"] == "山西华康机械有限公司"
    assert found["120名"] == "尧都区总工会"


def test_a_speaker_frames_what_the_body_did(reader: ArticleReader) -> None:
    found = about(reader, "林振华介绍，尧都区总工会今年投入资金90万元。")
    assert found["90万元"] == "尧都区总工会"
