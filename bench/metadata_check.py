"""Article metadata read from the text, against the shared gold: date, source and credited people.

    .venv/bin/python bench/metadata_check.py [CORPUS_DIR GOLD_DIR]

For every ``GOLD_DIR/NAME.gold.json`` (default ``../shared/gold``) it loads ``CORPUS_DIR/NAME.txt``
(default ``../shared/corpus``) and prints, per article, whether the date (``article.date``, written
in the text), the source (``article.source``) and the people credited by bylines and sign-offs
(gold people with ``reporter: true``: reporters and editors alike) match what the loaders read,
then the totals. Prints a note and exits 0 when the shared folders are absent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import load  # noqa: E402


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else ROOT.parent / "shared" / "corpus"
    gold_dir = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "gold"
    if not corpus.is_dir() or not gold_dir.is_dir():
        print(f"no shared corpus or gold at {corpus} and {gold_dir}: nothing to check")
        return 0
    articles = {Path(a.source).name: a for a in load([corpus]).articles}
    dates = sources = 0
    credited_found = credited_right = credited_gold = 0
    rows = []
    golds = sorted(gold_dir.glob("*.gold.json"))
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        name = gold["article"].get("file") or path.name.replace(".gold.json", ".txt")
        article = articles.get(name)
        if article is None:
            rows.append((path.name.removesuffix(".gold.json"), "no article", "", ""))
            continue
        want = {p["name"] for p in gold["people"] if p.get("reporter")}
        found = set(article.reporters) | set(article.editors)
        gold_date, gold_source = gold["article"].get("date"), gold["article"].get("source")
        date_ok, source_ok = article.date == gold_date, article.publisher == gold_source
        dates += date_ok
        sources += source_ok
        credited_found += len(found)
        credited_right += len(found & want)
        credited_gold += len(want)
        rows.append((
            path.name.removesuffix(".gold.json"),
            f"{'✓' if date_ok else '✗'} {article.date or '-'} (gold {gold_date or '-'})",
            f"{'✓' if source_ok else '✗'} {article.publisher or '-'} (gold {gold_source or '-'})",
            f"{'✓' if found == want else '✗'} {len(found & want)} of {len(found)} found, {len(want)} gold",
        ))
    width = max(len(r[0]) for r in rows)
    print(f"{'article':{width}}  {'date':34}  {'source':40}  credited people")
    for article_name, date, source, credits in rows:
        print(f"{article_name:{width}}  {date:34}  {source:40}  {credits}")
    print(
        f"\ndates {dates}/{len(golds)}, sources {sources}/{len(golds)}, credited people: "
        f"precision {credited_right}/{credited_found}, recall {credited_right}/{credited_gold}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
