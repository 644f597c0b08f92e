"""``python -m graph evaluate GRAPH.ttl GOLD.json...``: score a graph against hand-made answers.

Implements the scoring of the gold README: names compared after NFKC with quotation marks and
spaces removed; an entity matches when any of its names equals any gold name or alias; optional
items count neither way; campaigns match by containment (the shorter at least 30% of the longer).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from graph.errors import UsageError
from graph.queries import internal_query
from graph.store.query import without_columns
from graph.store.remote import ArticleStore
from graph.store.source import open_graph

QUOTES = "“”‘’「」『』\"'《》"


def norm(name: str) -> str:
    name = unicodedata.normalize("NFKC", name)
    return "".join(c for c in name if c not in QUOTES and not c.isspace())


@dataclass
class Counts:
    true_positive: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.true_positive += other.true_positive
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Share:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass
class Scores:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    shares: dict[str, Share] = field(default_factory=lambda: defaultdict(Share))


# -- reading the graph --------------------------------------------------------------------------


@dataclass
class Predicted:
    names: dict[str, set[str]]
    """Entity IRI → its normalised names (label and altLabels)."""
    people: list[str]
    organizations: list[str]
    posts: list[tuple[str, str, str, str]]
    """(person IRI, role label, organization IRI, provenance sentence text)."""
    campaigns: list[str]
    associated: dict[str, set[str]]
    hierarchy: set[tuple[str, str]]
    figures: list[dict[str, object]]


def rows(
    store: ArticleStore, name: str, article: str | None = None, hidden: str | None = None
) -> list[tuple[str | None, ...]]:
    """The rows of ``graph/queries/quality/NAME.rq`` as plain values, ``?article`` bound when given.

    ``hidden`` names a column bound only to scope the query (``article``): it is dropped, and rows
    that then repeat are kept once, in order.
    """
    bindings = {"article": ox.NamedNode(article)} if article is not None else None
    result = store.query(internal_query(f"quality/{name}"), bindings)
    result = without_columns(result, {hidden} if hidden else set())
    return [tuple(term.value if term is not None else None for term in row) for row in result.rows]


def find_article(store: ArticleStore, file_name: str | None) -> str | None:
    """The article a gold file describes (by its source file's name), when the graph holds several."""
    articles = rows(store, "articles")
    if len(articles) <= 1 or not file_name:
        return None
    found = next((a for a, source in articles if source and source_file(source) == file_name), None)
    if found is None:
        raise ValueError(f"the graph holds {len(articles)} articles and none was read from {file_name}")
    return found


def source_file(source: str) -> str:
    """The file name of an article's source (``path`` or ``path:LINE`` for a line of a .jsonl)."""
    path, _, line = source.rpartition(":")
    return Path(path if path and line.isdigit() else source).name


def read_graph(store: ArticleStore, article: str | None = None) -> Predicted:
    """What the graph says; with ``article``, only what that article says (its people, bodies,
    campaigns, and the posts, figures and hierarchy read from its sentences)."""

    def scoped(name: str) -> list[tuple[str | None, ...]]:
        return rows(store, name, article, hidden="article")

    names: dict[str, set[str]] = defaultdict(set)
    for entity, name in rows(store, "names"):
        names[entity].add(norm(name))  # type: ignore[index,arg-type]
    associated: dict[str, set[str]] = defaultdict(set)
    for campaign, agent in rows(store, "campaign-agents"):
        associated[campaign].add(agent)  # type: ignore[index,arg-type]
    fields = ("iri", "value", "min", "max", "unit", "about", "year", "approx", "text")
    return Predicted(
        names=names,
        people=[r[0] for r in scoped("people")],  # type: ignore[misc]
        organizations=[r[0] for r in scoped("organizations")],  # type: ignore[misc]
        posts=[(p, norm(role), o, text or "") for p, role, o, text in scoped("posts")],  # type: ignore[misc,arg-type]
        campaigns=[r[0] for r in scoped("campaigns")],  # type: ignore[misc]
        associated=associated,
        hierarchy={(c, p) for c, p in scoped("hierarchy")},  # type: ignore[misc]
        figures=[dict(zip(fields, r, strict=True)) for r in scoped("figures")],
    )


# -- scoring ------------------------------------------------------------------------------------


def score_entities(
    entities: Iterable[str], names: dict[str, set[str]], gold: list[set[str]], optional: set[str]
) -> tuple[Counts, dict[int, str]]:
    """Match entities to gold items (each a set of names); return counts and gold index → entity."""
    matched: dict[int, str] = {}
    predicted = 0
    for entity in sorted(entities):
        own = names.get(entity, set())
        hit = next((i for i, g in enumerate(gold) if i not in matched and own & g), None)
        if hit is not None:
            matched[hit] = entity
        # Counted unless it only matches optional names; a second entity for a gold item is a duplicate.
        if any(own & g for g in gold) or not own & optional:
            predicted += 1
    return Counts(len(matched), predicted, len(gold)), matched


def campaign_match(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return len(short) >= 2 and short in long and len(short) >= 0.3 * len(long)


def figure_value(figure: dict[str, object]) -> tuple[Decimal, ...] | None:
    if figure["value"] is not None:
        return (Decimal(str(figure["value"])),)
    if figure["min"] is not None and figure["max"] is not None:
        return (Decimal(str(figure["min"])), Decimal(str(figure["max"])))
    return None


def gold_value(value: object) -> tuple[Decimal, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(Decimal(str(v)) for v in values)


def score_file(predicted: Predicted, gold: dict, scores: Scores) -> None:
    names = predicted.names
    org_names = [{norm(o["name"]), *map(norm, o.get("aliases", []))} for o in gold["organizations"]]
    org_by_name = {n: i for i, ns in enumerate(org_names) for n in ns}
    optional_orgs = {norm(n) for n in gold.get("optional_organizations", [])}

    counts, orgs_matched = score_entities(predicted.organizations, names, org_names, optional_orgs)
    scores.counts["organizations"].add(counts)
    org_entity = {i: e for i, e in orgs_matched.items()}

    people = [{norm(p["name"])} for p in gold["people"]]
    counts, people_matched = score_entities(predicted.people, names, people, set())
    scores.counts["people"].add(counts)

    def entity_is(entity: str, gold_name: str) -> bool:
        index = org_by_name.get(norm(gold_name))
        wanted = org_names[index] if index is not None else {norm(gold_name)}
        return bool(names.get(entity, set()) & wanted)

    gold_posts = [
        (norm(p["name"]), norm(post["role"]), post["org"])
        for p in gold["people"]
        for post in p.get("posts", [])
    ]
    optional_posts = [(norm(p["person"]), norm(p["role"]), p["org"]) for p in gold.get("optional_posts", [])]
    seen_posts: set[tuple[str, str, str]] = set()
    post_counts = Counts(gold=len(gold_posts))
    matched_posts: set[int] = set()
    for person, role, org, _text in predicted.posts:
        if (person, role, org) in seen_posts:
            continue
        seen_posts.add((person, role, org))
        person_names = names.get(person, set())

        def same(
            g: tuple[str, str, str], person_names: set[str] = person_names, role: str = role, org: str = org
        ) -> bool:
            return g[0] in person_names and g[1] == role and entity_is(org, g[2])

        hit = next((i for i, g in enumerate(gold_posts) if i not in matched_posts and same(g)), None)
        if hit is not None:
            matched_posts.add(hit)
            post_counts.predicted += 1
            texts = [t for p, r, o, t in predicted.posts if (p, r, o) == (person, role, org)]
            scores.shares["posts provenance"].add(any(gold_posts[hit][0] in norm(t) for t in texts))
        elif not any(same(g) for g in optional_posts):
            post_counts.predicted += 1
    post_counts.true_positive = len(matched_posts)
    scores.counts["posts"].add(post_counts)

    gold_campaigns = [norm(c["name"]) for c in gold["campaigns"]]
    optional_campaigns = [norm(c) for c in gold.get("optional_campaigns", [])]
    campaign_counts = Counts(gold=len(gold_campaigns))
    campaign_of: dict[int, str] = {}
    # Same names pair first, so that a short campaign (甲) is not taken for a longer one (甲·乙)
    # that the graph also holds; then containment pairs what is left.
    matched: set[str] = set()
    for same in (True, False):
        for campaign in sorted(set(predicted.campaigns) - matched):
            labels = names.get(campaign, set())
            hit = next(
                (
                    i
                    for i, g in enumerate(gold_campaigns)
                    if i not in campaign_of
                    and any(g == label if same else campaign_match(label, g) for label in labels)
                ),
                None,
            )
            if hit is not None:
                campaign_of[hit] = campaign
                matched.add(campaign)
                campaign_counts.predicted += 1
    for campaign in sorted(set(predicted.campaigns) - matched):
        labels = names.get(campaign, set())
        if not any(campaign_match(label, g) for label in labels for g in optional_campaigns + gold_campaigns):
            campaign_counts.predicted += 1
    campaign_counts.true_positive = len(campaign_of)
    scores.counts["campaigns"].add(campaign_counts)
    for i, item in enumerate(gold["campaigns"]):
        for org in item.get("orgs", []):
            agents = predicted.associated.get(campaign_of.get(i, ""), set())
            scores.shares["campaign-organization links"].add(any(entity_is(a, org) for a in agents))

    for i, item in enumerate(gold["organizations"]):
        if item.get("parent"):
            child = org_entity.get(i)
            scores.shares["hierarchy"].add(
                child is not None
                and any(c == child and entity_is(p, item["parent"]) for c, p in predicted.hierarchy)
            )

    score_figures(predicted, gold, scores, entity_is)


def score_figures(predicted: Predicted, gold: dict, scores: Scores, entity_is) -> None:
    gold_figures = gold["figures"]
    optional = {(gold_value(f["value"]), norm(f["unit"] or "")) for f in gold.get("optional_figures", [])}
    counts = Counts(gold=len(gold_figures))
    taken: set[str] = set()
    for figure in gold_figures:
        key = (gold_value(figure["value"]), norm(figure["unit"]))
        candidates = [
            f
            for f in predicted.figures
            if f["iri"] not in taken and (figure_value(f), norm(str(f["unit"]))) == key
        ]
        # Among equal values, the one whose sentence holds the figure's text is the one meant.
        candidates.sort(key=lambda f: norm(figure["text"]) not in norm(str(f["text"] or "")))
        if not candidates:
            continue
        match = candidates[0]
        taken.add(str(match["iri"]))
        counts.true_positive += 1
        if figure.get("org") is not None:
            scores.shares["figures subject"].add(
                match["about"] is not None and entity_is(match["about"], figure["org"])
            )
        else:
            # Gold names no body (全省工会组织, 各级工会): the figure should be about none.
            scores.shares["figures without subject"].add(match["about"] is None)
        if figure.get("year") is not None:
            scores.shares["figures year"].add(str(match["year"]) == str(figure["year"]))
        scores.shares["figures approximate"].add(
            (str(match["approx"]).lower() == "true") == bool(figure["approx"])
        )
        scores.shares["figures provenance"].add(norm(figure["text"]) in norm(str(match["text"] or "")))
    for f in predicted.figures:
        if f["iri"] in taken or (figure_value(f), norm(str(f["unit"]))) not in optional:
            counts.predicted += 1
    scores.counts["figures"].add(counts)


def evaluate(graph: str | os.PathLike[str] | ArticleStore, gold_paths: list[str]) -> Scores:
    """Scores of a graph (an open store, or what ``--graph`` names) against gold files.

    Raises :class:`GoldError` for a gold file that is missing or not a gold answer.
    """
    if isinstance(graph, (str, os.PathLike)):
        with open_graph(graph) as store:
            return evaluate(store, gold_paths)
    scores = Scores()
    for path in gold_paths:
        gold = _read_gold(path)
        article = find_article(graph, gold.get("article", {}).get("file"))
        try:
            score_file(read_graph(graph, article), gold, scores)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise GoldError(f"{path}: not a gold answer file ({error!r})") from error
    return scores


class GoldError(UsageError):
    """A gold file that is missing or does not follow ../shared/gold/README.md; names the file."""


def _read_gold(path: str) -> dict:
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldError(f"{path}: no such file") from None
    except (OSError, ValueError) as error:
        raise GoldError(f"{path}: cannot be read as JSON ({error})") from None
    if not isinstance(gold, dict):
        raise GoldError(f"{path}: not a gold answer file (a JSON object is expected)")
    return gold


ORDER = ["people", "organizations", "posts", "campaigns", "figures"]


def format_scores(scores: Scores) -> str:
    lines = [f"{'aspect':<30} {'precision':>9} {'recall':>7} {'F1':>6}   counts"]
    for aspect in ORDER:
        c = scores.counts[aspect]
        lines.append(
            f"{aspect:<30} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}   "
            f"{c.true_positive} matched of {c.predicted} predicted, {c.gold} gold"
        )
    for aspect, share in sorted(scores.shares.items()):
        lines.append(f"{aspect:<30} {'':>9} {'':>7} {share.value:>6.3f}   {share.hits} of {share.total}")
    return "\n".join(lines)
