"""The walking skeleton as a user runs it: `python -m graph build` on real files."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import FOAF, RDF, RDFS

from ontology import GH, SCHEMA
from tests.conftest import ARTICLE, ARTICLES, ROOT


def graph_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_build_writes_article_reporters_sections_and_sentences(tmp_path: Path) -> None:
    result = graph_cli("build", str(ARTICLES), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "graph.ttl") in result.stdout
    graph = Graph().parse(tmp_path / "graph.ttl")
    (article,) = graph.subjects(RDF.type, SCHEMA.NewsArticle)
    assert graph.value(article, SCHEMA.headline) == Literal("实干担当,全面提升工会工作效能", lang="zh")
    reporters = {str(graph.value(r, RDFS.label)) for r in graph.objects(article, SCHEMA.author)}
    assert reporters == {"马超", "陈曦", "王路曼", "崔欣"}
    assert all((r, RDF.type, FOAF.Person) in graph for r in graph.objects(article, SCHEMA.author))
    sections = {str(graph.value(s, SCHEMA.headline)) for s in graph.subjects(RDF.type, GH.Section)}
    assert sections == {"平谷区总工会", "怀柔区总工会", "密云区总工会", "延庆区总工会", "经开区总工会"}
    sentences = [str(graph.value(s, SCHEMA.text)) for s in graph.subjects(RDF.type, GH.Sentence)]
    assert len([s for s in sentences if "8件" in s and "31.5万元" in s]) == 1
    folded = [unicodedata.normalize("NFKC", s) for s in sentences]
    assert any("8件,为职工挽回经济损失31.5万元" in s for s in folded)


def test_sentence_offsets_point_at_the_original_characters(built: Path) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    graph = Graph().parse(built / "graph.ttl")
    for sentence in graph.subjects(RDF.type, GH.Sentence):
        start = int(graph.value(sentence, GH.charStart))
        end = int(graph.value(sentence, GH.charEnd))
        original = unicodedata.normalize("NFKC", "".join(text[start:end].split()))
        normalised = unicodedata.normalize("NFKC", "".join(str(graph.value(sentence, SCHEMA.text)).split()))
        assert original.replace("and", "") == normalised.replace("and", "")


def test_one_junk_file_is_named_and_skipped_the_rest_is_built(article_copy: Path, tmp_path: Path) -> None:
    (article_copy / "junk.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"
    result = graph_cli("build", str(article_copy), "--out", str(out))
    assert result.returncode == 1
    assert "junk.txt" in result.stderr and "Traceback" not in result.stderr
    graph = Graph().parse(out / "graph.ttl")
    assert len(list(graph.subjects(RDF.type, SCHEMA.NewsArticle))) == 1


def test_a_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = graph_cli("build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_building_twice_gives_the_same_triples(article_copy: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert graph_cli("build", str(article_copy), "--out", str(tmp_path / name)).returncode == 0
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()


def test_built_graph_passes_the_shapes(built: Path) -> None:
    result = graph_cli("validate", str(built / "graph.ttl"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms" in result.stdout


def test_parallel_build_gives_the_same_graph(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(3):
        (corpus / f"copy-{number}.txt").write_bytes(ARTICLE.read_bytes())
    for jobs in ("1", "2"):
        result = graph_cli("build", str(corpus), "--out", str(tmp_path / jobs), "--jobs", jobs)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "1" / "graph.ttl").read_bytes() == (tmp_path / "2" / "graph.ttl").read_bytes()


def test_html_and_jsonl_articles_build_and_bad_lines_are_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.html").write_text(
        "<html><head><title>站点 - 标题</title><script>var s='<p>脚本</p>';</script></head><body>"
        "<nav>首页 新闻</nav><article><h1>房山区总工会开展职工服务</h1><p>记者 林海</p>"
        "<p>房山区总工会主席董立新表示，今年将新建职工之家12个。</p></article></body></html>",
        encoding="utf-8",
    )
    (corpus / "feed.jsonl").write_text(
        '{"title": "通州区总工会工作", "date": "2023-04-01", "url": "https://example.org/a", '
        '"text": "通州区总工会副主席韩冬梅介绍，今年共举办培训46场。"}\n'
        "not json\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = graph_cli("build", str(corpus), "--out", str(out))
    assert result.returncode == 1
    assert "feed.jsonl:2" in result.stderr and "Traceback" not in result.stderr
    graph = Graph().parse(out / "graph.ttl")
    headlines = {str(graph.value(a, SCHEMA.headline)) for a in graph.subjects(RDF.type, SCHEMA.NewsArticle)}
    assert headlines == {"房山区总工会开展职工服务", "通州区总工会工作"}
    assert not any("脚本" in str(o) for o in graph.objects(None, SCHEMA.text))
    people = {str(graph.value(p, RDFS.label)) for p in graph.subjects(RDF.type, FOAF.Person)}
    assert {"董立新", "韩冬梅", "林海"} <= people
    years = {int(y) for y in graph.objects(None, GH.year)}
    assert years == {2023}, "今年 in the dated JSONL article is 2023; the undated page gives no year"


def test_stats_counts_what_the_graph_holds(built: Path) -> None:
    result = graph_cli("stats", "--graph", str(built))
    assert result.returncode == 0, result.stderr
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in result.stdout.splitlines()]
    counts = {row[0]: int(row[-1]) for row in cells if len(row) == 3 and row[-1].isdigit()}
    assert counts["NewsArticle"] == 1 and counts["Person"] == 12
    assert counts["TradeUnion"] + counts["Group"] + counts["Enterprise"] <= counts["Organization"]


# -- incremental builds ---------------------------------------------------------------------------

UNION_NEWS = "某区总工会召开全委会议。区总工会主席王小明出席会议并讲话，要求各级工会做好职工服务工作。"
OTHER_NEWS = "某市总工会开展送温暖活动，市总工会副主席李大为带队走访困难职工家庭。"


def test_a_rebuild_skips_unchanged_articles_and_keeps_the_export_set(tmp_path: Path) -> None:
    corpus, out = tmp_path / "news", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text(UNION_NEWS, encoding="utf-8")
    (corpus / "b.txt").write_text(OTHER_NEWS, encoding="utf-8")
    first = graph_cli("build", str(corpus), "--out", str(out))
    assert first.returncode == 0 and "built 2 article(s)" in first.stdout, first.stderr
    live = (out / "exports" / "current").resolve()
    merged = (out / "graph.ttl").read_bytes()

    again = graph_cli("build", str(corpus), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "built 0 article(s), 2 unchanged (skipped); outputs (unchanged, kept)" in again.stdout
    assert (out / "exports" / "current").resolve() == live  # not rewritten

    (corpus / "b.txt").write_text(OTHER_NEWS.replace("李大为", "赵志刚"), encoding="utf-8")
    changed = graph_cli("build", str(corpus), "--out", str(out))
    assert "built 1 article(s), 1 unchanged (skipped); outputs:" in changed.stdout, changed.stdout
    assert (out / "exports" / "current").resolve() != live
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "赵志刚" in text and "李大为" not in text and "王小明" in text
    assert (out / "graph.ttl").read_bytes() != merged


def test_formats_chooses_the_exports_and_graph_ttl_is_always_written(tmp_path: Path) -> None:
    corpus, out = tmp_path / "news", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text(UNION_NEWS, encoding="utf-8")
    assert graph_cli("build", str(corpus), "--out", str(out)).returncode == 0
    assert (out / "graph.trig").is_file() and not (out / "graph.nt").exists()  # a new folder's default
    only = graph_cli("build", str(corpus), "--out", str(out), "--formats", "nt")
    # nothing changed, but the live set does not hold exactly what was asked: a new one is written
    assert only.returncode == 0 and "outputs:" in only.stdout, only.stderr

    def written() -> list[str]:
        return sorted(p.name for p in (out / "exports" / "current").iterdir() if not p.name.startswith("."))

    assert written() == ["graph.nt", "graph.ttl"]
    assert not (out / "graph.trig").exists() and not (out / "graph.trig").is_symlink()
    # without --formats, a folder keeps the formats it has, also when an article is added
    (corpus / "b.txt").write_text(OTHER_NEWS, encoding="utf-8")
    added = graph_cli("build", str(corpus), "--out", str(out))
    assert added.returncode == 0 and "outputs (grown by the new articles):" in added.stdout, added.stdout
    assert written() == ["graph.nt", "graph.ttl"]
    bad = graph_cli("build", str(corpus), "--out", str(out), "--formats", "nt,rdfxml")
    assert bad.returncode == 2 and "unknown export format 'rdfxml'" in bad.stderr
