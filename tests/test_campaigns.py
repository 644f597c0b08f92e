"""Campaigns and events, and the bodies that run or join them. Sentences written for the test."""

from __future__ import annotations

import pytest

from loaders import load_text
from loaders.extract.assemble import ArticleReader
from loaders.extract.facts import ArticleFacts


@pytest.fixture(scope="module")
def reader() -> ArticleReader:
    return ArticleReader()


def read(reader: ArticleReader, text: str) -> ArticleFacts:
    return reader.read(load_text(text, source="t.txt", key="t"))


def test_a_meeting_named_by_what_it_is(reader: ArticleReader) -> None:
    facts = read(reader, "尧都区总工会召开2023年度工作总结会议暨劳模表彰会。")
    assert "2023年度工作总结会议暨劳模表彰会" in facts.campaigns
    assert "尧都区总工会" in facts.campaigns["2023年度工作总结会议暨劳模表彰会"].organizations


def test_no_meeting_inside_a_word(reader: ArticleReader) -> None:
    facts = read(reader, "尧都区总工会针对广大会员的需求开展服务。")
    assert not facts.campaigns


def test_an_unquoted_campaign_where_it_is_held(reader: ArticleReader) -> None:
    facts = read(reader, "尧都区总工会深入实施暖心帮扶工程，并开展慰问活动。")
    assert "暖心帮扶工程" in facts.campaigns
    assert "慰问活动" not in facts.campaigns


def test_quoted_names_with_inner_quotes_and_their_kind(reader: ArticleReader) -> None:
    facts = read(reader, "尧都区总工会举办“暖‘心’同行”主题关爱活动，推进“古城修缮工程”。")
    names = set(facts.campaigns)  # labels carry no quotation marks
    assert "暖心同行" in names and "古城修缮工程" in names


def test_a_quoted_phrase_made_the_theme(reader: ArticleReader) -> None:
    facts = read(reader, "各基层工会以“节约用电从我做起”为主题开展宣传。")
    assert "节约用电从我做起" in facts.campaigns


def test_bodies_of_a_sentence_that_refers_back_to_the_event(reader: ArticleReader) -> None:
    facts = read(
        reader,
        "尧都区总工会举办“健康同行”主题活动。此次活动由尧都区总工会主办，尧都区卫生健康局协办。"
        "山西华康机械有限公司等20余家企业参加活动。",
    )
    organizations = facts.campaigns["健康同行"].organizations
    assert {"尧都区总工会", "尧都区卫生健康局", "山西华康机械有限公司"} <= organizations
