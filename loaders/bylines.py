"""Who is credited with an article: bylines and sign-offs.

记者 张三, 本报记者张三、李四 通讯员 王五, 某某日报-某某网记者张三 (an outlet glued before the role),
(张三 记者李四) (a name before the first role), 图文/张三、李四, 编辑/赵六, 责任编辑：赵六, 终审：钱七.
Reporters (writers, photographers) become ``schema:author``, editors ``schema:editor``. Every word
left between the roles must be a plausible personal name (:mod:`loaders.names`), or the text is a
sentence that happens to mention a reporter, not a byline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from loaders.extract.lexicons import alternation, table, words
from loaders.names import plausible_person_name
from ontology import name_suffixes

BYLINE_MARKS = "□■◆◇●○▲△☆★▪︱|"
BRACKETS = {"（": "）", "(": ")", "【": "】", "[": "]", "〔": "〕", "［": "］"}
NAME_SEPARATORS = re.compile(r"[\s、，,/|｜:：;；]+")
OUTLET_SEPARATORS = " -—–·・|｜/"
# "This paper" and the like: the outlet is the one printing the article, whose name is not written.
UNNAMED_OUTLETS = ("本报", "本刊", "本台", "本网", "本站", "本报特约", "本刊特约")
OUTLET_MAX = 24


@dataclass(frozen=True)
class Credits:
    reporters: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    outlet: str | None = None
    """The medium named with the byline (工人日报-中工网记者 …), when it is named."""

    def __or__(self, other: Credits) -> Credits:
        return Credits(
            tuple(dict.fromkeys(self.reporters + other.reporters)),
            tuple(dict.fromkeys(self.editors + other.editors)),
            self.outlet or other.outlet,
        )


@cache
def _roles() -> tuple[re.Pattern[str], dict[str, str]]:
    rows = sorted(table("byline_roles.tsv"), key=lambda r: (-len(r[0]), r[0]))
    # Longest word first, so 责任编辑 wins over 编辑 and 图文 over 图; a word that needs a
    # separator only counts when one (or the end) follows it.
    pattern = "|".join(
        re.escape(word) + ("" if may_glue == "yes" else r"(?=[\s:：/]|$)") for word, _, may_glue in rows
    )
    return re.compile(pattern), {word: kind for word, kind, _ in rows}


@cache
def _medium_endings() -> tuple[str, ...]:
    organization = {suffix for suffix, _ in name_suffixes() if len(suffix) > 1}
    return tuple(sorted(set(words("media_suffixes.txt")) | organization, key=lambda w: (-len(w), w)))


def medium_name(text: str) -> str | None:
    """``text`` as the name of a news medium or organization given as a source (某某晚报,
    某某客户端, 某县总工会), or None: a source must end like one (信息管理 does not) and must not
    be an unnamed 本报."""
    name = text.strip().strip(OUTLET_SEPARATORS)
    if not 2 <= len(name) <= OUTLET_MAX or any(c.isspace() for c in name):
        return None
    if name in UNNAMED_OUTLETS or re.search(r"[，。；！？,;!?：:]", name):
        return None
    return name if name.endswith(_medium_endings()) else None


def medium_prefix(text: str) -> str | None:
    """The medium a text begins with, cut after the last ending of a news medium it contains: the
    新华社 of 新华社北京 (a place follows the agency in a dateline), the whole of 某某网某地新闻."""
    pattern = re.compile(f"(?:{alternation(words('media_suffixes.txt'))})")
    ends = [m.end() for m in pattern.finditer(text)]
    return medium_name(text[: ends[-1]]) if ends else None


def unwrap(text: str) -> str:
    """Without layout marks and without brackets enclosing the whole: (记者 张三) → 记者 张三."""
    body = text.strip().lstrip(BYLINE_MARKS).strip()
    while len(body) >= 2 and BRACKETS.get(body[0]) == body[-1] and _balanced(body[1:-1]):
        body = body[1:-1].strip()
    return body


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += c in BRACKETS
        depth -= c in BRACKETS.values()
        if depth < 0:
            return False
    return depth == 0


def names_in(text: str) -> tuple[str, ...] | None:
    """The names of a list (张三、李四 王五), or None when any item is not a plausible name."""
    items = [item for item in NAME_SEPARATORS.split(text) if item]
    if not items or not all(plausible_person_name(item) for item in items):
        return None
    return tuple(items)


def parse_credits(text: str) -> Credits | None:
    """The people a byline or sign-off credits, or None when ``text`` is not one."""
    body = unwrap(text)
    pattern, kinds = _roles()
    roles = list(pattern.finditer(body))
    if not roles:
        return None
    credits = Credits()
    prefix = body[: roles[0].start()].strip(OUTLET_SEPARATORS)
    if prefix and prefix not in UNNAMED_OUTLETS:
        # (张三 记者李四): a name before the first role is credited like the reporter after it;
        # a medium's name (某某日报·某某客户端记者) may also pass for a transliterated name, so a
        # text ending like a medium is a name only when it is one short Han name.
        leading, outlet = names_in(prefix), medium_name(prefix)
        if outlet is not None and not (leading and all(len(name) <= 3 for name in leading)):
            credits = Credits(outlet=outlet)
        elif leading is not None:
            credits = Credits(reporters=leading)
        else:
            return None
    ends = [role.start() for role in roles[1:]] + [len(body)]
    for role, end in zip(roles, ends, strict=True):
        segment = body[role.end() : end]
        if not segment.strip(" :：/"):
            continue  # 张三 摄, or a role whose name stands before it
        names = names_in(segment)
        if names is None:
            return None
        if kinds[role.group()] == "editor":
            credits = credits | Credits(editors=names)
        else:
            credits = credits | Credits(reporters=names)
    return credits if credits.reporters or credits.editors else None
