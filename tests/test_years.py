"""The year a figure refers to. Articles written for the test, dated as a loader would date them."""

from __future__ import annotations

import pytest

from loaders import load_text
from loaders.extract.assemble import ArticleReader


@pytest.fixture(scope="module")
def reader() -> ArticleReader:
    return ArticleReader()


def years(reader: ArticleReader, text: str, date: str | None = None) -> dict[str, int | None]:
    article = load_text(text, source="t.txt", key="t", **({"date": date} if date else {}))
    return {figure.text: figure.year for figure in reader.read(article).figures}


def test_a_month_and_day_take_the_articles_year_and_govern_what_follows(reader: ArticleReader) -> None:
    text = "3月5日，尧都区总工会开展慰问活动。\n\n尧都区总工会为职工发放慰问金12万元。"
    assert years(reader, text, "2019-03-06")["12万元"] == 2019


def test_a_month_after_the_articles_is_last_years(reader: ArticleReader) -> None:
    text = "12月28日，尧都区总工会为200名职工送去慰问品。"
    assert years(reader, text, "2020-01-03")["200名"] == 2019


def test_no_date_written_gives_relative_dates_no_year(reader: ArticleReader) -> None:
    text = "3月5日，尧都区总工会开展慰问活动，今年共投入资金12万元。"
    assert years(reader, text)["12万元"] is None


def test_this_year_later_in_the_paragraph(reader: ArticleReader) -> None:
    text = "近日，尧都区总工会为近600名职工送去慰问品。这是该会今年第二次慰问。"
    assert years(reader, text, "2021-07-02")["近600名"] == 2021


def test_a_year_stated_in_the_sentence_wins(reader: ArticleReader) -> None:
    text = "2020年，尧都区总工会新建工会12个，2021年又新建8个。"
    found = years(reader, text, "2022-01-10")
    assert found["12个"] == 2020 and found["8个"] == 2021


def test_a_year_mid_sentence_does_not_govern_the_next_paragraph(reader: ArticleReader) -> None:
    text = "尧都区总工会的服务从2025年7月持续到2026年12月。\n\n当日，尧都区总工会为50名职工体检。"
    assert years(reader, text)["50名"] is None


def test_money_in_chinese_numerals_and_lengths(reader: ArticleReader) -> None:
    facts = reader.read(load_text("尧都区总工会用三万元资金修建了长达1.2千米的步道。", source="t", key="t"))
    found = {f.text: (f.quantity.value, f.quantity.unit) for f in facts.figures}
    assert found["三万元"] == (30000, "元")
    assert found["1.2千米"] == (1200, "米")


def test_a_count_inside_a_span_of_time_is_no_figure(reader: ArticleReader) -> None:
    facts = reader.read(load_text("这座桥跨越了3个世纪。", source="t", key="t"))
    assert not facts.figures
