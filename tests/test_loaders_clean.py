"""Cleaning and structuring small texts shaped like the PDF conversions we receive."""

from __future__ import annotations

import pytest

from loaders import load_text
from loaders.bylines import Credits, parse_credits
from loaders.clean import normalise, sentence_bounds, split_lines
from loaders.structure import chinese_number, parse_series


def clean(text: str) -> str:
    return normalise(text, split_lines(text))[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("职工发展平\n\n台,壮大职工队伍", "职工发展平台，壮大职工队伍"),
        ("在行动:有的打造;有的(职工)总结!对吗?", "在行动：有的打造；有的（职工）总结！对吗？"),
        ("在企业 and 区域范围内", "在企业区域范围内"),
        ("提升 of the 服务", "提升服务"),
        ("入会率达到65.3%,超额", "入会率达到65.3%，超额"),
        ("共1,000人,10:30开会", "共1,000人，10:30开会"),
        ("“学习宣传二十大 推进五强工会建设”", "“学习宣传二十大 推进五强工会建设”"),
        ("使用 APP 服务, 5G 网络", "使用 APP 服务，5G 网络"),
        (
            "24小时、互联网+服务、6-7个、2.1万箱、126万元/天",
            "24小时、互联网+服务、6-7个、2.1万箱、126万元/天",
        ),
        ("全角数字１２３和％", "全角数字123和%"),
        ("多余\u3000\u3000空格 ， 和\u200b零宽", "多余 空格，和零宽"),
        ("inter\nnational", "inter national"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_offsets_point_at_the_original_characters() -> None:
    raw = "  职工发展平\n\n台,壮大 and 队伍\r\n"
    text, offsets = normalise(raw, split_lines(raw))
    assert text == "职工发展平台，壮大队伍"
    assert [raw[i] for i in offsets] == list("职工发展平台,壮大队伍")


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("有的打造；有的总结……各单位建功。", ["有的打造；", "有的总结……", "各单位建功。"]),
        ("“坚持服务。认真履职。”张三说。下一句。", ["“坚持服务。认真履职。”张三说。", "下一句。"]),
        ("他说“好。”", ["他说“好。”"]),
        ("“未闭合的引号。后面的句子。", ["“未闭合的引号。", "后面的句子。"]),
        ("多余的”引号。下一句。", ["多余的”引号。", "下一句。"]),
        ("没有句号的结尾", ["没有句号的结尾"]),
    ],
)
def test_sentences(paragraph: str, sentences: list[str]) -> None:
    assert [paragraph[s:e] for s, e in sentence_bounds(paragraph)] == sentences


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("□本报记者 马超 陈曦 王路曼 崔欣", Credits(("马超", "陈曦", "王路曼", "崔欣"))),
        ("本报记者 张三", Credits(("张三",))),
        ("记者 李四 王五", Credits(("李四", "王五"))),
        ("通讯员 赵六", Credits(("赵六",))),
        ("本报记者马超、陈曦 通讯员 李四", Credits(("马超", "陈曦", "李四"))),
        ("记者 阿依古丽·买买提", Credits(("阿依古丽·买买提",))),
        ("记者从市总工会获悉，全市工会开展活动。", None),
        ("平谷区总工会", None),
    ],
)
def test_bylines(line: str, expected: object) -> None:
    assert parse_credits(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("“区级工会加强年”系列报道(四)", ("区级工会加强年", 4)),
        ("“区级工会加强年”系列报道（十二）", ("区级工会加强年", 12)),
        ("「职工之家」系列报道之二十", ("职工之家", 20)),
        ("“工匠风采”系列报道(3)", ("工匠风采", 3)),
        ("“工匠风采”系列报道", ("工匠风采", None)),
        ("本报推出系列报道，敬请关注。", None),
    ],
)
def test_series_line(line: str, expected: object) -> None:
    assert parse_series(line) == expected


def test_chinese_numbers() -> None:
    assert [chinese_number(t) for t in ("一", "四", "十", "十一", "二十", "九十九", "一百零五", "7")] == [
        1,
        4,
        10,
        11,
        20,
        99,
        105,
        7,
    ]


def test_headings_never_swallow_the_next_paragraph() -> None:
    text = (
        "工会工作新进展\n\n记者 张三\n\n"
        "市总工会召开会议,部署全年工\n\n作。\n\n"
        "朝阳区总工会\n\n服务职工 提升“温度”\n\n"
        "“我们将继续努力。”朝阳区总工会主席李四说。\n\n"
        "一年来工会开展活动\n\n"
        "共计120场,服务职工\n\n3000人次。\n\n"
        "海淀区某某科技有限公司工会\n\n"
        "该公司工会成立于2010年。"
    )
    article = load_text(text, "t.txt", "t")
    assert article.headline == "工会工作新进展"
    assert article.reporters == ("张三",)
    assert [(s.heading, s.subheading) for s in article.sections] == [
        ("朝阳区总工会", "服务职工 提升“温度”"),
        ("海淀区某某科技有限公司工会", None),
    ]
    assert [(p.text, p.section) for p in article.paragraphs] == [
        ("市总工会召开会议，部署全年工作。", None),
        ("“我们将继续努力。”朝阳区总工会主席李四说。", 0),
        ("一年来工会开展活动", 0),  # a heading of its own: kept, never joined
        ("共计120场，服务职工3000人次。", 0),
        ("该公司工会成立于2010年。", 1),
    ]


def test_fragment_that_looks_like_an_organization_is_joined() -> None:
    text = "标题行\n\n本报记者 张三\n\n各级工会积极参与,区\n\n总工会\n\n负责统筹。"
    article = load_text(text, "t.txt", "t")
    assert article.sections == ()
    assert [p.text for p in article.paragraphs] == ["各级工会积极参与，区总工会负责统筹。"]


def test_dateline_names_the_reporters() -> None:
    article = load_text("本报讯（记者 张三 通讯员 李四）近日，工会召开会议。", "t.txt", "t")
    assert article.reporters == ("张三", "李四")
    assert article.headline is None


def test_metadata_headline_is_matched_in_the_text() -> None:
    article = load_text("标题 一\n\n正文第一句。", "t.jsonl:1", "t-1", headline="标题一")
    assert article.headline == "标题一"
    assert [p.text for p in article.paragraphs] == ["正文第一句。"]


def test_organization_heading_with_brackets() -> None:
    text = "标题\n\n记者 张三\n\n鼓楼街道(乡镇)总工会\n\n打造暖心驿站\n\n该工会建设驿站55个。"
    article = load_text(text, "t.txt", "t")
    assert [(s.heading, s.subheading) for s in article.sections] == [("鼓楼街道(乡镇)总工会", "打造暖心驿站")]


def test_a_body_whose_place_begins_like_a_preposition_is_a_section() -> None:
    text = "标题\n\n记者 张三\n\n经开区总工会\n\n建设职工书屋\n\n该工会建设驿站55个。"
    article = load_text(text, "t.txt", "t")
    assert [(s.heading, s.subheading) for s in article.sections] == [("经开区总工会", "建设职工书屋")]


def test_slogan_ending_like_an_organization_is_not_a_section() -> None:
    text = "标题\n\n记者 张三\n\n以职工为中心\n\n形成工作新格局\n\n正文一句。"
    article = load_text(text, "t.txt", "t")
    assert article.sections == ()
    assert [p.text for p in article.paragraphs] == ["以职工为中心", "形成工作新格局", "正文一句。"]
