"""Campaigns, activities and events: quoted names put to work, and unquoted event names.

A quoted phrase is a campaign when a trigger word follows it (“…”专项工作, “…”“…”等主题活动,
“…”进基层”活动) or an action verb precedes it (坚持“…”, 推动“…”) and it is not one
dictionary word (推进“精益求精” names an approach, not a campaign). An unquoted name is a
campaign when it ends in a strong event noun (直播活动, 集中行动, 交流大会); its left edge is
the nearest action verb, time, number or punctuation. Quotes inside 《》 belong to documents.
``span._.campaign_name`` is the name without quotation marks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extract.lexicons import alternation, table, words

OPEN_QUOTES, CLOSE_QUOTES = "“‘「『", "”’」』"
QUOTE = re.compile(f"[{OPEN_QUOTES}]([^{OPEN_QUOTES}{CLOSE_QUOTES}]{{2,30}})[{CLOSE_QUOTES}]")
DOCUMENT = re.compile(r"《[^《》]*》")
SENTENCE_PUNCTUATION = re.compile(r"[，。；！？,;!?]")
# How far around a quote the triggers and verbs that make it a campaign are looked for.
TAIL = 16
CLAUSE_BOUNDARY = re.compile(r"$|[，。；！？、：,;!?:和与及]")
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
        self.verbs = set(words("campaign_verbs.txt"))
        self.max_event_length = max_event_length
        self.dictionary = dictionary_words()
        self.method = re.compile(alternation(words("method_nouns.txt")))

    def __call__(self, doc: Doc) -> Doc:
        # Documents (《…》) and quoted names of bodies (“…宣讲团”) are not campaigns.
        text = doc._.text
        documents = [m.span() for m in DOCUMENT.finditer(text)]
        documents += [(s.start_char - 1, s.end_char + 1) for s in doc.spans.get("gh_org", [])]
        spans: list[Span] = []
        for start, end, name in [*self.quoted(text), *self.unquoted(doc, text)]:
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
            name = quote.group(1)
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
                and not self.dictionary.get(name)
                and CLAUSE_BOUNDARY.match(tail)  # 推动“四进社区”。, not 开展“三个一”工作法推广
            ):
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
                and trigger.group() in self.event_kinds
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
        longer = any(self.dictionary.get(tail[start:stop]) for stop in range(end + 1, end + 3))
        return not longer and not self.method.match(tail, end)

    def unquoted(self, doc: Doc, text: str) -> Iterator[tuple[int, int, str]]:
        words_ = doc._.words or []
        for match in self.event.finditer(text):
            end = match.end()
            index = next((i for i, w in enumerate(words_) if w[0] <= match.start() < w[1]), None)
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
            if match.start() - start >= 2:
                yield start, end, text[start:end]


def dictionary_words() -> dict[str, int]:
    """jieba's general dictionary (word → frequency): a quoted single word is a concept, not a campaign."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ


@Language.factory("gh_campaigns", default_config={"max_event_length": 16})
def make_campaigns(nlp: Language, name: str, max_event_length: int) -> CampaignRecognizer:
    return CampaignRecognizer(max_event_length)
