"""The evaluate command scores each gold file against its own article, whatever else the graph holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from graph.build.run import build
from graph.quality.evaluate import evaluate
from tests.conftest import ARTICLE, GOLD

OTHER = """丰台区总工会推进职工服务

□本报记者 赵一

丰台区总工会主席刘国栋表示，区总工会将开展“职工暖心行动”，新建职工之家20个。
"""


def test_other_articles_in_the_graph_do_not_count_against_a_gold_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    build([str(corpus)], tmp_path / "out")
    scores = evaluate(str(tmp_path / "out" / "graph.ttl"), [str(GOLD)])
    for aspect in ("people", "organizations", "posts", "campaigns", "figures"):
        assert scores.counts[aspect].precision >= 0.9, aspect


def test_a_graph_without_the_article_scores_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    build([str(corpus)], tmp_path / "out")
    scores = evaluate(str(tmp_path / "out" / "graph.ttl"), [str(GOLD)])
    assert scores.counts["people"].recall == 0.0
    assert scores.counts["figures"].true_positive == 0


def test_editors_credited_by_the_article_count_as_its_people(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "credited.txt").write_text(
        "临河县总工会开展慰问\n记者 周文博\n临河县总工会开展慰问活动。\n责任编辑：韩冬雪\n", encoding="utf-8"
    )
    gold = tmp_path / "credited.gold.json"
    gold.write_text(
        json.dumps(
            {
                "article": {"file": "credited.txt"},
                "organizations": [],
                "people": [
                    {"name": "周文博", "posts": [], "honors": [], "reporter": True},
                    {"name": "韩冬雪", "posts": [], "honors": [], "reporter": True},
                ],
                "campaigns": [],
                "figures": [],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    build([str(corpus)], tmp_path / "out")
    people = evaluate(str(tmp_path / "out" / "graph.ttl"), [str(gold)]).counts["people"]
    assert (people.true_positive, people.gold) == (2, 2)


CAMPAIGNS = """尧都区总工会举办“健康同行·工会相伴”主题活动

尧都区总工会举办“健康同行·工会相伴”主题活动。尧都区卫生健康局协办此次活动。会上发布了“健康同行”系列活动方案。
各级工会共发放慰问金30万元。
"""


def test_same_names_pair_first_and_figures_about_no_body(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "t.txt").write_text(CAMPAIGNS, encoding="utf-8")
    gold = {
        "article": {"file": "t.txt"},
        "organizations": [{"name": "尧都区总工会"}, {"name": "尧都区卫生健康局"}],
        "people": [],
        "campaigns": [
            {"name": "健康同行·工会相伴", "orgs": ["尧都区总工会", "尧都区卫生健康局"]},
            {"name": "健康同行", "orgs": ["尧都区总工会"]},
        ],
        "figures": [
            {"text": "30万元", "value": 300000, "unit": "元", "approx": False, "year": None, "org": None}
        ],
        "optional_figures": [{"text": "某", "value": 1, "unit": None}],
    }
    (tmp_path / "t.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    build([str(corpus)], tmp_path / "out")
    scores = evaluate(str(tmp_path / "out" / "graph.ttl"), [str(tmp_path / "t.gold.json")])
    assert scores.counts["campaigns"].f1 == 1.0
    assert scores.shares["campaign-organization links"].value == 1.0
    assert scores.shares["figures without subject"].value == 1.0 and "figures subject" not in scores.shares
