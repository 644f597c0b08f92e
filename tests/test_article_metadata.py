"""Article metadata read from the text: dates, sources, credits (bylines, editors, sign-offs) and
datelines. Every line here is written for the test."""

from __future__ import annotations

import pytest

from loaders import load_text
from loaders.bylines import Credits, medium_name, parse_credits
from loaders.metadata import Metadata, parse_date, parse_dateline, parse_metadata_line
from loaders.names import plausible_person_name
from loaders.script import simplified

BODY = "临河县总工会近日召开职工代表大会，共有代表120名参加。"


# -- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["林晓燕", "周文博", "韩冬雪", "欧阳明远", "阿依古丽·买买提"])
def test_plausible_names(name: str) -> None:
    assert plausible_person_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "信息管理",  # a word jieba knows as a noun
        "江城日报客户端",  # too long, and a medium
        "临河县总工会",
        "林",  # one character
        "林晓燕了解",  # a name glued to a verb
        "周文博表示",
        "abc123",  # a login name
        "客户端",
    ],
)
def test_not_names(text: str) -> None:
    assert not plausible_person_name(text)


# -- bylines and sign-offs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("记者 林晓燕", Credits(("林晓燕",))),
        ("本报记者林晓燕 通讯员周文博", Credits(("林晓燕", "周文博"))),
        ("（记者 林晓燕 周文博 韩冬雪）", Credits(("林晓燕", "周文博", "韩冬雪"))),
        ("(宋立群 记者孟凡宇)", Credits(("宋立群", "孟凡宇"))),
        ("(宋立群记者孟凡宇)", Credits(("宋立群", "孟凡宇"))),
        ("江城晚报记者 林晓燕 通讯员 周文博", Credits(("林晓燕", "周文博"), outlet="江城晚报")),
        ("云岭日报·云岭客户端记者 贺思远", Credits(("贺思远",), outlet="云岭日报·云岭客户端")),
        ("作者：田雨桐", Credits(("田雨桐",))),
        ("图文/林晓燕、周文博", Credits(("林晓燕", "周文博"))),
        ("文/林晓燕 图/周文博", Credits(("林晓燕", "周文博"))),
        ("林晓燕 摄", Credits(("林晓燕",))),
        ("编辑/韩冬雪", Credits(editors=("韩冬雪",))),
        ("责任编辑：韩冬雪", Credits(editors=("韩冬雪",))),
        ("【编辑:宋立群】", Credits(editors=("宋立群",))),
        ("[责任编辑:孟凡宇]", Credits(editors=("孟凡宇",))),
        ("终审：贺思远", Credits(editors=("贺思远",))),
        ("记者 林晓燕 编辑 周文博 终审 韩冬雪", Credits(("林晓燕",), ("周文博", "韩冬雪"))),
        # Sentences about reporters, bodies and accounts are not bylines.
        ("记者近日从临河县总工会了解到，全县开展慰问活动。", None),
        ("据本报记者林晓燕了解", None),
        ("临河县总工会", None),
        ("编审：abc123", None),
        ("文明城市创建", None),  # 文 needs a separator to be a role
    ],
)
def test_credits(line: str, expected: Credits | None) -> None:
    assert parse_credits(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("江城晚报", "江城晚报"),
        ("云岭日报客户端", "云岭日报客户端"),
        ("东湖新闻网", "东湖新闻网"),
        ("临河县总工会", "临河县总工会"),  # an organization may be the source
        ("信息管理", None),  # a content-system account
        ("本报", None),  # this paper: its name is not written
        ("原创", None),
        ("", None),
    ],
)
def test_sources_must_name_a_medium_or_body(text: str, expected: str | None) -> None:
    assert medium_name(text) == expected


# -- dates and metadata lines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-03-31", "2023-03-31"),
        ("2018-3-1", "2018-03-01"),
        ("2023/5/29 10:00", "2023-05-29"),
        ("2023.05.29", "2023-05-29"),
        ("2022年11月8日", "2022-11-08"),
        ("二〇二二年十一月八日", "2022-11-08"),
        ("二〇二三年二月三十日", None),
        ("2023-05-29T08:00:00+08:00", "2023-05-29"),
        ("2023-02-30", None),  # no such day
        ("3月30日", None),  # no year
        ("近日", None),
    ],
)
def test_dates(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("日期:2023-03-31", Metadata(date="2023-03-31")),
        ("发布时间 2023-05-29", Metadata(date="2023-05-29")),
        ("发布时间2023-05-29 点击量:356 来源:信息管理", Metadata(date="2023-05-29")),
        ("发布:2019-07-02 16:05:33", Metadata(date="2019-07-02")),
        ("2018-3-1", Metadata(date="2018-03-01")),
        ("2023-04-11 09:26:05", Metadata(date="2023-04-11")),
        ("2022年11月8日", Metadata(date="2022-11-08")),
        ("二〇二二年十一月八日", Metadata(date="2022-11-08")),
        ("2023-04-11 09:26:05云岭日报客户端", Metadata(date="2023-04-11", outlet="云岭日报客户端")),
        ("2019-10-17 作者:林晓燕", Metadata(date="2019-10-17", credits=Credits(("林晓燕",)))),
        ("来源:江城晚报", Metadata(publisher="江城晚报")),
        ("信息来源：临河县总工会", Metadata(publisher="临河县总工会")),
        (
            "发布时间:2022-12-19浏览次数:信息来源:东湖新闻网",
            Metadata(date="2022-12-19", publisher="东湖新闻网"),
        ),
        ("发布：2019-01-02 来源：  作者：  编审：abc123  浏览量：14", Metadata(date="2019-01-02")),
        ("原标题：临河县总工会召开职工代表大会", Metadata()),
        ("点击量：4321", Metadata()),
        ("责任编辑：韩冬雪", Metadata(credits=Credits(editors=("韩冬雪",)))),
        (
            "【发布时间：2023-05-29】【来源：江城晚报】【字体：大 中 小】",
            Metadata(date="2023-05-29", publisher="江城晚报"),
        ),
        ("2023年5月29日 星期一 10:30", Metadata(date="2023-05-29")),
        ("文字：林晓燕 图片：周文博", Metadata(credits=Credits(("林晓燕", "周文博")))),
        (
            "稿源：东湖新闻网 编辑：韩冬雪",
            Metadata(publisher="东湖新闻网", credits=Credits(editors=("韩冬雪",))),
        ),
        ("作者：临河县总工会", Metadata()),  # a body credited as author is no person
        (
            "来源：江城晚报 作者：本报记者 林晓燕",
            Metadata(publisher="江城晚报", credits=Credits(("林晓燕",))),
        ),
        ("【编辑:宋立群】", Metadata(credits=Credits(editors=("宋立群",)))),
        # Prose that starts with a date or a label is not a metadata line.
        ("2023年3月5日，临河县总工会召开会议", None),
        ("2023年3月5日，临河县总工会召开会议。", None),
        ("时间：上午九点，地点：职工之家", None),
        ("临河县总工会召开职工代表大会", None),
    ],
)
def test_metadata_lines(line: str, expected: Metadata | None) -> None:
    assert parse_metadata_line(line) == expected


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("本报讯（记者 林晓燕）近日，工会召开会议。", Metadata(credits=Credits(("林晓燕",)))),
        (
            "本报讯 （记者 林晓燕 通讯员 周文博） 3月30日，工会召开会议。",
            Metadata(month_day=(3, 30), credits=Credits(("林晓燕", "周文博"))),
        ),
        ("东湖新闻网江城5月8日电 5月7日，工会召开会议。", Metadata(month_day=(5, 8), outlet="东湖新闻网")),
        (
            "江城晚报讯4月2日电（记者 贺思远）工会召开会议。",
            Metadata(month_day=(4, 2), outlet="江城晚报", credits=Credits(("贺思远",))),
        ),
        ("本报3月5日讯 近日，工会召开会议。", Metadata(month_day=(3, 5))),
        (
            "江城晚报讯（记者 林晓燕）近日，工会召开会议。",
            Metadata(outlet="江城晚报", credits=Credits(("林晓燕",))),
        ),
        ("近日从临河县总工会获悉喜讯，", Metadata()),  # 讯 after prose names no medium
        ("近日，工会召开会议。", Metadata()),
    ],
)
def test_datelines(lead: str, expected: Metadata) -> None:
    assert parse_dateline(lead) == expected


# -- whole articles ----------------------------------------------------------------------------------


def test_page_header_lines_are_metadata_not_paragraphs() -> None:
    text = (
        "临河县总工会召开职工代表大会\n"
        "来源：江城晚报\n"
        "2023-05-29 08:15\n"
        "原标题：临河县总工会召开大会\n"
        "江城晚报记者林晓燕 通讯员周文博\n"
        f"{BODY}\n"
        "责任编辑：韩冬雪\n"
    )
    article = load_text(text, "t.txt", "t")
    assert article.headline == "临河县总工会召开职工代表大会"
    assert article.date == "2023-05-29"
    assert article.publisher == "江城晚报"  # the named source wins over the byline's outlet
    assert article.reporters == ("林晓燕", "周文博")
    assert article.editors == ("韩冬雪",)
    assert [p.text for p in article.paragraphs] == [BODY]


def test_counters_and_dates_never_reach_the_sentences() -> None:
    text = f"临河县工会开展慰问\n发布时间2019-04-08 点击量:7215 来源:信息管理\n{BODY}\n"
    article = load_text(text, "t.txt", "t")
    assert (article.date, article.publisher) == ("2019-04-08", None)
    assert not any("7215" in s.text or "2019" in s.text for s in article.sentences)


def test_page_title_with_column_and_repeated_headline() -> None:
    text = f"临河县工会开展慰问|专题栏目\n2023-04-11 09:26:05云岭日报客户端\n临河县工会开展慰问\n{BODY}\n"
    article = load_text(text, "t.txt", "t")
    assert article.headline == "临河县工会开展慰问"
    assert (article.date, article.publisher) == ("2023-04-11", "云岭日报客户端")
    assert [p.text for p in article.paragraphs] == [BODY]


def test_a_date_line_with_only_a_date_opens_the_article() -> None:
    article = load_text(f"2018-3-1\n{BODY}\n", "t.txt", "t")
    assert article.date == "2018-03-01"
    assert article.headline is None
    assert [p.text for p in article.paragraphs] == [BODY]


def test_sign_offs_at_the_end() -> None:
    person = load_text(f"临河县工会开展慰问\n{BODY}\n下一步将继续开展慰问。 （贺思远）\n", "t.txt", "t")
    assert person.reporters == ("贺思远",)
    assert person.paragraphs[-1].text == "下一步将继续开展慰问。"
    assert person.text[person.paragraphs[-1].end - 1] == "。"

    byline = load_text(f"{BODY}\n下一步将继续开展慰问。(江城晚报记者 林晓燕 周文博)\n", "t.txt", "t")
    assert byline.reporters == ("林晓燕", "周文博")
    assert byline.publisher == "江城晚报"

    alone = load_text(f"{BODY}\n（田雨桐）\n【编辑：宋立群】\n", "t.txt", "t")
    assert (alone.reporters, alone.editors) == (("田雨桐",), ("宋立群",))
    assert [p.text for p in alone.paragraphs] == [BODY]


def test_a_source_or_date_in_brackets_closing_the_text() -> None:
    source = load_text(f"{BODY}\n下一步将继续开展慰问。（来源：江城晚报）\n", "t.txt", "t")
    assert source.publisher == "江城晚报"
    assert source.paragraphs[-1].text == "下一步将继续开展慰问。"
    dated = load_text(f"{BODY}\n下一步将继续开展慰问。（2023年5月29日）\n", "t.txt", "t")
    assert dated.date == "2023-05-29"
    both = load_text(f"{BODY}\n下一步将继续开展慰问。（记者 林晓燕）（来源：江城晚报）\n", "t.txt", "t")
    assert (both.reporters, both.publisher) == (("林晓燕",), "江城晚报")
    assert both.paragraphs[-1].text == "下一步将继续开展慰问。"


def test_end_marks_are_not_text() -> None:
    for mark in ("（完）", "(全文完)", "（待续）", "（未完待续）"):
        article = load_text(f"{BODY}\n下一步将继续开展慰问。{mark}\n", "t.txt", "t")
        assert article.paragraphs[-1].text == "下一步将继续开展慰问。", mark
        assert article.reporters == ()


def test_a_body_in_brackets_at_the_end_is_no_person() -> None:
    article = load_text(f"{BODY}\n下一步将继续开展慰问。 （临河县总工会）\n", "t.txt", "t")
    assert article.reporters == ()
    assert article.paragraphs[-1].text.endswith("（临河县总工会）")


def test_publication_date_wins_over_a_sign_off_date() -> None:
    text = f"临河县工会开展慰问\n发布时间:2022-12-19\n{BODY}\n2022年11月8日\n"
    article = load_text(text, "t.txt", "t")
    assert article.date == "2022-12-19"
    assert [p.text for p in article.paragraphs] == [BODY]
    signed = load_text(f"{BODY}\n2022年11月8日\n", "t.txt", "t")
    assert signed.date == "2022-11-08"


def test_metadata_keeps_precedence_and_is_normalised() -> None:
    text = f"日期:2023-03-31\n来源:江城晚报\n{BODY}"
    given = load_text(text, "t.jsonl:1", "t", date="2023/4/2 09:00", publisher="东湖新闻网")
    assert (given.date, given.publisher) == ("2023-04-02", "东湖新闻网")
    unreadable = load_text(text, "t.jsonl:1", "t", date="去年春天")
    assert unreadable.date == "2023-03-31"  # what the text writes, when the metadata's date is no date


def test_dateline_month_and_day_take_the_year_the_metadata_gives() -> None:
    lead = "本报讯（记者 林晓燕）3月30日，临河县总工会召开职工代表大会。"
    assert load_text(lead, "t.jsonl:1", "t", date="2023").date == "2023-03-30"
    assert load_text(lead, "t.txt", "t").date is None  # no year anywhere: no date
    dated = load_text(f"日期:2023-03-31\n{lead}", "t.txt", "t")
    assert dated.date == "2023-03-31"  # the date line is the publication date
    assert dated.reporters == ("林晓燕",)


def test_traditional_characters_are_read_and_kept_as_written() -> None:
    text = (
        "臨河縣總工會開展慰問活動\n來源：江城晚報\n發佈時間：2023-05-29 點擊量：120\n"
        "記者 劉曉燕 通訊員 陳可欣\n臨河縣總工會主席林曉燕表示，將繼續做好服務職工工作。\n"
        "（黃志明）\n【責任編輯：張偉】\n"
    )
    article = load_text(text, "t.txt", "t")
    assert article.headline == "臨河縣總工會開展慰問活動"
    assert (article.date, article.publisher) == ("2023-05-29", "江城晚報")
    assert article.reporters == ("劉曉燕", "陳可欣", "黃志明")
    assert article.editors == ("張偉",)
    assert [p.text for p in article.paragraphs] == ["臨河縣總工會主席林曉燕表示，將繼續做好服務職工工作。"]
    lead = load_text("本報訊（記者 黃志明）3月30日，工會召開會議。", "t.jsonl:1", "t", date="2023")
    assert (lead.date, lead.reporters) == ("2023-03-30", ("黃志明",))


def test_simplified_reads_position_for_position() -> None:
    assert simplified("記者 劉曉燕") == "记者 刘晓燕"
    assert simplified("\ud800記者") == "\ud800記者"  # not UTF-8 encodable: left as it is
