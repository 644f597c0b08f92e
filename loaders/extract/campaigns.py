"""Campaigns, activities and events: quoted names put to work, and unquoted event names.

A quoted phrase is a campaign when a trigger word follows it (“…”专项工作, “…”“…”等主题活动,
“…”进基层”活动) or an action verb precedes it (坚持“…”, 推动“…”) and it is not one
dictionary word (推进“精益求精” names an approach, not a campaign). An unquoted name is a
campaign when it ends in a strong event noun (直播活动, 集中行动, 交流大会); its left edge is
the nearest action verb, time, number or punctuation. Quotes inside 《》 belong to documents.
``span._.campaign_name`` is the name without quotation marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extract.dictionary import frequency
from loaders.extract.lexicons import alternation, table, words
from loaders.extract.words import WordIndex

OPEN_QUOTES, CLOSE_QUOTES = "“‘「『", "”’」』"
# A quoted name, single quotes allowed inside double ones (“暖‘心’行动”).
QUOTE = re.compile(
    f"(?:“((?:[^{OPEN_QUOTES}{CLOSE_QUOTES}]|‘[^{OPEN_QUOTES}{CLOSE_QUOTES}]{{1,10}}’){{2,30}})”"
    f"|[{OPEN_QUOTES}]([^{OPEN_QUOTES}{CLOSE_QUOTES}]{{2,30}})[{CLOSE_QUOTES}])"
)
# Meetings and events named before their kind (年度总结会议暨劳模表彰会, 第三次妇女代表大会): the name
# runs back from the kind to a clause boundary, a quote or a verb of holding, years and 、 included.
MEETING_KINDS = (
    "代表大会",
    "颁奖大会",
    "表彰大会",
    "动员大会",
    "推进大会",
    "大会",
    "全委会",
    "会议",
    "表彰会",
    "推进会",
    "座谈会",
    "研讨会",
    "交流会",
    "研习会",
    "培训班",
    "启动仪式",
    "开幕式",
    "论坛",
)
MEETING_KIND = re.compile("|".join(MEETING_KINDS))
HOLDING_VERBS = ("召开", "举行", "举办", "主办", "承办")
MEETING_STOPS = "，。；！？：、“‘" + "”’"
DOCUMENT = re.compile(r"《[^《》]*》")
SENTENCE_PUNCTUATION = re.compile(r"[，。；！？,;!?]")
# How far around a quote the triggers and verbs that make it a campaign are looked for.
TAIL = 16
CLAUSE_BOUNDARY = re.compile(r"$|[，。；！？、：,;!?:和与及的]")
# Word tags where an unquoted event name stops on its left: verbs, prepositions, conjunctions,
# particles, punctuation, times and numerals (LAC and jieba tag sets).
LEFT_EDGE_TAGS = {"v", "p", "c", "u", "w", "xc", "TIME", "t", "m", "r", "d", "f", "PER"}

if not Span.has_extension("campaign_name"):
    Span.set_extension("campaign_name", default=None)


class CampaignRecognizer:
    def __init__(self, max_event_length: int) -> None:
        triggers = table("campaign_triggers.tsv")
        self.name_part = {t for t, part in triggers if part == "yes"}
        # Triggers that name a kind of event (行动, 活动, 竞赛): only these take a word before them.
        self.event_kinds = {t for t, _ in triggers if re.search("行动|活动|竞赛|比赛|大赛|运动", t)}
        self.trigger = re.compile(f"(?:等)?(?:{alternation([t for t, _ in triggers])})")  # used with match()
        self.verb_before = re.compile(f"(?:{alternation(words('campaign_verbs.txt'))})$")
        self.event = re.compile(alternation(words("event_nouns.txt")))
        self.common_kinds = {"活动", "行动", "工程", "竞赛", "劳动竞赛", "技能竞赛"}
        self.verbs = set(words("campaign_verbs.txt"))
        self.max_event_length = max_event_length
        self.method = re.compile(alternation(words("method_nouns.txt")))

    def __call__(self, doc: Doc) -> Doc:
        # Documents (《…》) and quoted names of bodies (“…宣讲团”) are not campaigns.
        text = doc._.text
        documents = [m.span() for m in DOCUMENT.finditer(text)]
        documents += [(s.start_char - 1, s.end_char + 1) for s in doc.spans.get("gh_org", [])]
        spans: list[Span] = []
        for start, end, name in [*self.quoted(text), *self.meetings(doc, text), *self.unquoted(doc, text)]:
            inside_document = any(s <= start and end <= e for s, e in documents)
            clash = any(s.start_char < end and start < s.end_char for s in spans)
            if not inside_document and not clash and (span := doc.char_span(start, end, label="CAMPAIGN")):
                span._.campaign_name = name
                spans.append(span)
        doc.spans["gh_campaign"] = sorted(spans)
        return doc

    def quoted(self, text: str) -> Iterator[tuple[int, int, str]]:
        quotes = list(QUOTE.finditer(text))
        for i, quote in enumerate(quotes):
            name = quote.group(1) or quote.group(2)
            if SENTENCE_PUNCTUATION.search(name):
                continue
            # A run of quotes shares the trigger after the last one: “甲”“乙”等主题活动.
            last = i
            while last + 1 < len(quotes) and re.fullmatch(
                "[、和与及]?", text[quotes[last].end() : quotes[last + 1].start()]
            ):
                last += 1
            tail = text[quotes[last].end() : quotes[last].end() + TAIL]
            continuation = re.match(f"([^{OPEN_QUOTES}{CLOSE_QUOTES}，。、；]{{1,6}})[{CLOSE_QUOTES}]", tail)
            if last == i and continuation and self.trigger.match(tail[continuation.end() :]):
                # “两种精神”进社区”活动: the closing quote strayed; the name runs on to the second one.
                yield quote.start(), quote.end() + continuation.end(), name + continuation.group(1)
            elif last == i and (infixed := self.infixed(tail)):
                # “甲乙丙”建会专项行动: a short word between the quote and an event trigger names the
                # campaign with them; a longer one (“匠心”职工技能提升行动) only describes it.
                label = (
                    name + infixed if len(infixed) - len(self.trigger.search(infixed).group()) <= 3 else name
                )
                yield quote.start(), quote.end() + len(infixed), label
            elif (trigger := self.trigger.match(tail)) and self.ends_there(tail, trigger):
                word = trigger.group().removeprefix("等")
                full = name + word if word in self.name_part and last == i else name
                end = quote.end() + (len(word) if word in self.name_part and last == i else 0)
                yield quote.start(), end, full
            elif (
                self.verb_before.search(text[max(0, quote.start() - TAIL) : quote.start()])
                and not frequency(name)  # a quoted dictionary word is a concept, not a campaign
                and CLAUSE_BOUNDARY.match(tail)  # 推动“四进社区”。, not 开展“三个一”工作法推广
            ):
                yield quote.start(), quote.end(), name
            elif self.trigger.search(name) and self.trigger.search(name).end() == len(name) and len(name) > 4:
                # A quoted name that ends in its own kind (“某某修缮工程”, “某某关爱行动”).
                yield quote.start(), quote.end(), name

    def infixed(self, tail: str) -> str | None:
        """A few characters and an event trigger after them (建会 + 专项行动), up to the trigger."""
        if self.trigger.match(tail):
            return None
        for length in range(1, 9):
            word = tail[:length]
            trigger = self.trigger.match(tail, length)
            if (
                re.fullmatch("[\u4e00-\u9fff]+", word)
                and trigger
                and (trigger.group() in self.event_kinds or (trigger.group() == "工作" and length <= 3))
                and self.ends_there(tail, trigger)
            ):
                return tail[: trigger.end()]
        return None

    def ends_there(self, tail: str, trigger: re.Match[str]) -> bool:
        """Whether a trigger really ends where it seems to: “三个一”工作法 and “双百”行动方案 name a
        method or a plan, and 工作室 or 活动中心 are words of their own."""
        start, end = trigger.start() + trigger.group().startswith("等"), trigger.end()
        if self.trigger.match(tail, end):  # 评选 + 活动: triggers in a row end where the last ends
            return True
        longer = any(frequency(tail[start:stop]) for stop in range(end + 1, end + 3))
        # A method after an event (“某某”系列活动实施方案) still names the event; after 工作 it is the
        # method's name (“三个一”工作法).
        event = trigger.group().removeprefix("等") in self.event_kinds
        return not longer and (event or not self.method.match(tail, end))

    def meetings(self, doc: Doc, text: str) -> Iterator[tuple[int, int, str]]:
        """Meetings named by what they are (召开年度总结会议暨劳模表彰会; “口号”某某颁奖大会):
        the name runs back from its kind to a verb of holding, a closing quote or the sentence's
        start, 、 and years included."""
        word_ends = {end for _, end, _ in doc._.words or []}
        found = []
        for match in MEETING_KIND.finditer(text):
            end = match.end()
            if end not in word_ends:
                continue  # 大会 in 广大会员
            start = self.meeting_start(text, match.start())
            if start is None:
                continue
            name, head = text[start:end], text[start : match.start()]
            # A bare kind (召开会议) or one word before it (工作会议, 表彰大会) names no meeting.
            if len(head) >= 2 and not frequency(name) and not frequency(head):
                found.append((start, end, name))
        yield from sorted(found, key=lambda f: (f[0], -f[1]))  # 会议暨表彰会 before 会议

    @staticmethod
    def meeting_start(text: str, kind_start: int) -> int | None:
        for start in range(kind_start - 1, max(-1, kind_start - 31), -1):
            if text.endswith(HOLDING_VERBS, 0, start) or start == 0 or text[start - 1] in "。”’":
                return start
            if text[start - 1] in MEETING_STOPS and text[start - 1] != "、":
                return None
        return None

    def unquoted(self, doc: Doc, text: str) -> Iterator[tuple[int, int, str]]:
        words_ = doc._.words or []
        located = WordIndex(words_)
        for match in self.event.finditer(text):
            end = match.end()
            index = located.index_at(match.start())
            if index is None:
                continue
            start = words_[index][0]
            while index > 0:
                word_start, word_end, tag = words_[index - 1]
                word = text[word_start:word_end]
                if tag in LEFT_EDGE_TAGS and not (
                    tag == "v"
                    and word not in self.verbs
                    and index > 1
                    and words_[index - 2][2] not in LEFT_EDGE_TAGS
                ):
                    break
                if end - word_start > self.max_event_length or word in CLOSE_QUOTES + OPEN_QUOTES:
                    break
                index -= 1
                start = word_start
            # A kind of event after one ordinary word (慰问活动, 志愿活动) names none; a common kind
            # (活动, 工程) names one only where it is held (开展某某活动, 实施某某工程); an event
            # right after a quote is that quote's kind (“某某”主题宣传活动).
            head = text[start : match.start()]
            held = index > 0 and text[words_[index - 1][0] : words_[index - 1][1]] in self.verbs
            if match.group() in self.common_kinds and not held:
                continue
            ordinary = len(head) < 2 or (frequency(head) and not (held and len(head) >= 3))
            if not ordinary and text[start - 1 : start] not in CLOSE_QUOTES:
                yield start, end, text[start:end]


@Language.factory("gh_campaigns", default_config={"max_event_length": 16})
def make_campaigns(nlp: Language, name: str, max_event_length: int) -> CampaignRecognizer:
    return CampaignRecognizer(max_event_length)
