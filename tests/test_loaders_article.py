"""The bundled article, loaded as a researcher would load it, checked against what a careful
reader sees in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders import Article, load, load_text

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "articles" / "quji-gonghui-jiaqiangnian-04.txt"

HALF_TO_FULL = str.maketrans(",:;()!?", "，：；（）！？")


@pytest.fixture(scope="module")
def article() -> Article:
    result = load([ARTICLE])
    assert result.errors == []
    assert len(result.articles) == 1
    return result.articles[0]


def sentence_with(article: Article, needle: str) -> str:
    found = [s.text for s in article.sentences if needle in s.text]
    assert len(found) == 1, (needle, found)
    return found[0]


def test_front_matter(article: Article) -> None:
    assert article.key == "quji-gonghui-jiaqiangnian-04.txt"  # a file argument: its name
    assert article.source == str(ARTICLE)
    assert article.series == "区级工会加强年"
    assert article.part == 4
    assert article.headline == "实干担当,全面提升工会工作效能"
    assert article.reporters == ("马超", "陈曦", "王路曼", "崔欣")
    assert article.publisher is None  # 本报: this paper, whose name the text does not write
    assert article.editors == ()
    assert article.date is None


def test_text_is_the_file_as_loaded(article: Article) -> None:
    assert article.text == ARTICLE.read_text(encoding="utf-8")


def test_five_sections_with_sub_headlines(article: Article) -> None:
    assert [(s.heading, s.subheading) for s in article.sections] == [
        ("平谷区总工会", "以职工为中心 提升服务“温度”"),
        ("怀柔区总工会", "全面夯实基础工作 三大主题活动彰显工会担当和作为"),
        ("密云区总工会", "推进“以点带面” 精准施策强基层"),
        ("延庆区总工会", "强化责任担当 推动工会工作创新发展"),
        ("经开区总工会", "找准非公企业职工需求 精准谋划和开展工会工作"),
    ]
    for section in article.sections:
        assert article.text[section.start :].startswith(section.heading)
    ends = [s.start for s in article.sections[1:]] + [len(article.text) + 1]
    assert all(s.end < nxt for s, nxt in zip(article.sections, ends, strict=True))


def test_headings_are_not_body_paragraphs(article: Article) -> None:
    headings = [article.headline] + [s.subheading or "" for s in article.sections]
    for paragraph in article.paragraphs:
        assert not any(h in paragraph.text for h in headings), paragraph.text
        assert paragraph.text[-1] in "。”", paragraph.text  # every body paragraph is whole
    for section in article.sections:
        first = next(p for p in article.paragraphs if p.section == section.index)
        assert first.start > section.start
        assert first.text.startswith("“")  # each part of this article opens with a quote


def test_lead_and_section_membership(article: Article) -> None:
    lead = article.paragraphs[0]
    assert lead.section is None
    assert lead.text.startswith("近日，本报记者奔赴")
    assert {p.section for p in article.paragraphs[1:]} == {0, 1, 2, 3, 4}
    quote = sentence_with(article, "北京经济技术开发区总工会主席安春玲表示")
    assert next(s for s in article.sentences if s.text == quote).section == 4
    assert len(article.paragraphs) == 28


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("职工发展平", "台，壮大职工队伍"),
        ("果园街", "道暖心驿站"),
        ("劳动争议调", "解室"),
        ("干", "部上讲台"),
        ("开展“学讲", "新精神·奉献新征程”"),
        ("先进事迹", "片，开展"),
        ("2.1万箱，", "销售额突破126万元/天"),
        ("健全以", "职工代表大会"),
    ],
)
def test_page_breaks_are_joined(article: Article, before: str, after: str) -> None:
    assert sentence_with(article, before + after)


def test_figure_stays_in_one_sentence(article: Article) -> None:
    sentence = sentence_with(article, "8件，为职工挽回经济损失31.5万元")
    assert sentence == "围绕维权服务，调解劳动争议案件8件，为职工挽回经济损失31.5万元。"


def test_normalisation_keeps_numbers_and_meaningful_spaces(article: Article) -> None:
    text = "".join(s.text for s in article.sentences)
    for token in ("24小时", "互联网+服务", "6-7个", "31.5万元", "2.1万箱", "126万元/天", "65.3%"):
        assert token in text
    assert "“学习宣传二十大 推进五强工会建设”" in text
    assert "在企业区域范围内" in text  # the stray " and " from PDF conversion is gone
    assert not set(",:;()!?") & set(text)


def test_quoted_speech_stays_with_its_speaker(article: Article) -> None:
    sentence = sentence_with(article, "张艳革说。")
    assert sentence.startswith("“坚持围绕中心、服务大局")


def test_every_sentence_maps_back_to_the_loaded_text(article: Article) -> None:
    for sentence in article.sentences:
        original = article.text[sentence.start : sentence.end]
        # Line breaks, spaces and the stray Latin word are what cleaning removes.
        expected = re.sub(r"\s+|[A-Za-z]+", "", original).translate(HALF_TO_FULL)
        assert re.sub(r"\s+|[A-Za-z]+", "", sentence.text) == expected
        for char, offset in zip(sentence.text, sentence.offsets, strict=True):
            source = article.text[offset]
            assert char == source.translate(HALF_TO_FULL) or (char == " " and source.isspace())


def test_sentences_are_numbered_in_order(article: Article) -> None:
    sentences = article.sentences
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))
    for paragraph in article.paragraphs:
        assert all(s.paragraph == paragraph.index for s in paragraph.sentences)
        assert "".join(s.text for s in paragraph.sentences) == paragraph.text


def test_section_headings_with_layout_marks_or_an_inline_sub_headline() -> None:
    text = (
        "标题在这里 服务职工\n\n□本报记者 张明\n\n导语说明了一些事情。\n\n"
        "■东城区总工会\n\n建强阵地 暖心服务\n\n"
        "东城区总工会主席李大伟说，工作扎实。\n\n◆西城区总工会：创新载体 凝聚力量\n\n"
        "西城区总工会副主席王小明表示，将开展活动。\n\n【朝阳区总工会】\n\n朝阳区总工会主席刘一说，很好。\n"
    )
    article = load_text(text, source="t.txt", key="t")
    assert [(s.heading, s.subheading) for s in article.sections] == [
        ("东城区总工会", "建强阵地 暖心服务"),
        ("西城区总工会", "创新载体 凝聚力量"),
        ("朝阳区总工会", None),
    ]
    assert [p.section for p in article.paragraphs] == [None, 0, 1, 2]
