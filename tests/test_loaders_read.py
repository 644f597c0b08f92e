"""Reading files as users hand them over: other encodings, HTML pages, JSONL dumps, folders with
junk in them. A bad input is a LoadError naming it; it never stops the others."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from loaders import LoadError, LoadResult, load

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "articles" / "quji-gonghui-jiaqiangnian-04.txt"
TEXT = ARTICLE.read_text(encoding="utf-8")


def load_one(path: Path) -> LoadResult:
    return load([path])


def only_error(result: LoadResult) -> LoadError:
    assert result.articles == []
    assert len(result.errors) == 1
    return result.errors[0]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(TEXT.encode("gb18030"), id="gb18030"),
        pytest.param(TEXT.encode("gbk"), id="gbk"),
        pytest.param(TEXT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(TEXT.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(TEXT.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(codecs.BOM_UTF8 + TEXT.encode("utf-8"), id="utf-8-bom"),
    ],
)
def test_other_encodings_give_the_same_article(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / ARTICLE.name
    path.write_bytes(encoded)
    result = load_one(path)
    assert result.errors == []
    (article,) = result.articles
    assert article.text == TEXT  # BOM stripped, nothing else changed
    assert article.headline == "实干担当,全面提升工会工作效能"
    assert len(article.sections) == 5


def test_short_gbk_text_is_chinese_not_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("平谷区总工会召开会议。".encode("gbk"))
    assert load_one(path).articles[0].text == "平谷区总工会召开会议。"


def test_traditional_chinese_big5_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    text = "中華全國總工會今天召開會議，職工代表參加了會議。"
    path.write_bytes(text.encode("big5"))
    assert load_one(path).articles[0].text == text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b" \r\n\t\n", "empty file", id="only-whitespace"),
        pytest.param(bytes(range(256)) * 8, "binary file, not text", id="binary"),
        pytest.param(b"\x01\x02\x03\x04hello" * 20, "binary file, not text", id="controls"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4, "binary file", id="png"),
        pytest.param(bytes([0x80, 0xFF]) * 60, "undetectable encoding", id="high-bytes"),
        pytest.param("café déjà vu".encode("latin-1"), "undetectable encoding", id="latin-1"),
    ],
)
def test_unreadable_files_are_reported(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    error = only_error(load_one(path))
    assert error.source == str(path)
    assert error.reason.startswith(reason)


def test_missing_input_and_unsupported_type(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = load([tmp_path / "nowhere.txt", pdf])
    assert [(e.source, e.reason.split(" (")[0]) for e in result.errors] == [
        (str(tmp_path / "nowhere.txt"), "no such file or folder"),
        (str(pdf), "unsupported file type"),
    ]


# --------------------------------------------------------------------------- folders and keys


def test_folder_with_junk_loads_the_good_files(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.txt").write_bytes(TEXT.encode("gb18030"))
    (tmp_path / "b" / "junk.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "b" / "notes.pdf").write_bytes(b"%PDF")  # other types in folders: ignored
    result = load([tmp_path])
    assert [a.key for a in result.articles] == [f"{tmp_path.name}/a.txt", f"{tmp_path.name}/b/deep/c.txt"]
    assert result.errors == [LoadError(str(tmp_path / "b" / "junk.txt"), "binary file, not text")]


def test_same_name_in_two_folders_gets_distinct_stable_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("x", "y"):
        (tmp_path / "corpus" / folder).mkdir(parents=True)
        (tmp_path / "corpus" / folder / "报道 1.txt").write_text("工会召开会议。", encoding="utf-8")
    first = [a.key for a in load([tmp_path / "corpus"]).articles]
    assert first == ["corpus/x/报道 1.txt", "corpus/y/报道 1.txt"]
    monkeypatch.chdir(tmp_path / "corpus" / "y")  # the same folder named another way: the same keys
    assert [a.key for a in load(["../../corpus"]).articles] == first
    assert [a.key for a in load([tmp_path / "corpus" / "x" / "报道 1.txt"]).articles] == ["报道 1.txt"]


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>劳动午报 - 标题</title>
<style>p {{ color: red }}</style><script>var x = "不是正文。";</script></head>
<body><header><nav><a href="/">首页</a> <a href="/news">工会新闻</a></nav></header>
<div class="sidebar"><p>热点</p></div>
<article><h1>平谷区总工会开展法律援助活动</h1>
<p>□本报记者 张三</p>
<p>近日，平谷区总工会开展法律援助活动，<b>慰问</b>困难职工120户。</p>
<p>活动共发放慰问金31.5万元。</p>{extra}</article>
<footer><p>版权所有 劳动午报</p></footer></body></html>"""


def write_page(tmp_path: Path, markup: str, encoding: str = "gbk") -> Path:
    path = tmp_path / "page.html"
    path.write_bytes(markup.encode(encoding))
    return path


def test_html_article_body_without_noise(tmp_path: Path) -> None:
    result = load_one(write_page(tmp_path, PAGE.format(extra="")))
    assert result.errors == []
    (article,) = result.articles
    assert article.headline == "平谷区总工会开展法律援助活动"
    assert article.reporters == ("张三",)
    assert [p.text for p in article.paragraphs] == [
        "近日，平谷区总工会开展法律援助活动，慰问困难职工120户。",
        "活动共发放慰问金31.5万元。",
    ]
    for noise in ("不是正文", "首页", "版权所有", "color", "热点"):
        assert noise not in article.text
    assert article.text.split("\n\n")[0] == "平谷区总工会开展法律援助活动"


def test_html_without_article_element_uses_the_main_block(tmp_path: Path) -> None:
    markup = (
        "<html><head><title>标题页</title></head><body><nav><p>导航</p></nav>"
        "<div id='content'><p>第一段文字。</p><p>第二段文字。<br>换行之后的文字。</p></div>"
        "<div class='links'><p>友情链接</p></div></body></html>"
    )
    (article,) = load_one(write_page(tmp_path, markup, "utf-8")).articles
    assert article.headline == "标题页"
    assert [p.text for p in article.paragraphs] == [
        "第一段文字。",
        "第二段文字。",
        "换行之后的文字。",
    ]


def test_html_without_body_is_an_error(tmp_path: Path) -> None:
    markup = (
        "<html><head><title>空页</title><script>var a=1;</script></head><body><nav>首页</nav></body></html>"
    )
    error = only_error(load_one(write_page(tmp_path, markup, "utf-8")))
    assert error.reason == "no article body found"


# --------------------------------------------------------------------------- JSONL


def test_jsonl_lines_load_and_bad_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = {
        "text": TEXT,
        "title": "实干担当,全面提升工会工作效能",
        "date": "2023-03-01",
        "url": "https://example.org/a",
        "source": "劳动午报",
    }
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps({"title": "no text here"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "延庆区总工会开展职工沟通会119场。"}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_one(path)
    assert [(a.source, a.key) for a in result.articles] == [
        (f"{path}:1", "https://example.org/a"),  # a line with a url is known by it
        (f"{path}:7", "feed.jsonl:7"),
    ]
    first = result.articles[0]
    assert (first.headline, first.date, first.url, first.publisher) == (
        "实干担当,全面提升工会工作效能",
        "2023-03-01",
        "https://example.org/a",
        "劳动午报",
    )
    assert first.reporters == ("马超", "陈曦", "王路曼", "崔欣")
    assert len(first.sections) == 5
    assert [(e.source, e.reason.split(" (")[0]) for e in result.errors] == [
        (f"{path}:2", "not valid JSON"),
        (f"{path}:3", "no 'text' field"),
        (f"{path}:5", "not a JSON object but list"),
        (f"{path}:6", "'text' is empty"),
    ]


def test_two_inputs_with_one_key_are_an_error_not_a_replacement(tmp_path: Path) -> None:
    for parent in ("a", "b"):
        (tmp_path / parent / "corpus").mkdir(parents=True)
        (tmp_path / parent / "corpus" / "x.txt").write_text(f"{parent}工会召开会议。", encoding="utf-8")
    result = load([tmp_path / "a" / "corpus", tmp_path / "b" / "corpus"])
    assert [(a.key, a.text) for a in result.articles] == [("corpus/x.txt", "a工会召开会议。")]
    assert result.errors == [
        LoadError(str(tmp_path / "b" / "corpus" / "x.txt"),
                  f"same article key 'corpus/x.txt' as {tmp_path / 'a' / 'corpus' / 'x.txt'}")
    ]


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = load([tmp_path / "a.txt", tmp_path])
    assert [(a.key, a.source) for a in result.articles] == [("a.txt", str(tmp_path / "a.txt"))]


def test_an_html_page_with_a_headline_and_nothing_else_has_no_body(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>t</title></head><body><h1>标题</h1></body></html>", encoding="utf-8")
    result = load([page])
    assert not result.articles
    assert [e.reason for e in result.errors] == ["no article body found"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "gbk", "utf-8-sig"])
def test_jsonl_in_other_encodings_is_read_line_by_line(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"text": "昌平区总工会慰问职工200名。"}, ensure_ascii=False), "{broken",
             json.dumps({"text": "怀柔区总工会举办培训30场。"}, ensure_ascii=False)]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    result = load([path])
    assert [a.text for a in result.articles] == ["昌平区总工会慰问职工200名。", "怀柔区总工会举办培训30场。"]
    assert [(e.source, e.reason.split(" (")[0]) for e in result.errors] == [(f"{path}:2", "not valid JSON")]
