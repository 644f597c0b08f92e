"""Invented Chinese union-news text of any size, for the scaling benchmarks (no corpus text)."""

from __future__ import annotations

import random

_PLACES = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "通州区", "顺义区", "昌平区", "大兴区", "房山区"]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "建国明华丽娟志强海燕春梅立新文博晓东红霞永刚秀英国庆"
_TITLES = ["主席", "副主席", "常务副主席", "党组书记", "经审会主任"]
_CAMPAIGNS = ["职工技能提升年", "暖心驿站建设", "劳模工匠进校园", "职工书屋共建", "安康杯竞赛"]
_UNITS = [("名", "会员"), ("场", "培训"), ("万元", "资金"), ("家", "企业"), ("个", "服务站")]


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _sentence(rng: random.Random) -> str:
    place, title, campaign = rng.choice(_PLACES), rng.choice(_TITLES), rng.choice(_CAMPAIGNS)
    unit, measure = rng.choice(_UNITS)
    number = rng.randint(2, 9000)
    return rng.choice([
        f"{place}总工会{title}{_name(rng)}介绍，今年共开展{measure}{number}{unit}。",
        f"{place}总工会深入开展“{campaign}”活动，惠及职工{number}名。",
        f"{rng.randint(2019, 2023)}年，{place}总工会投入{measure}{number}{unit}，"
        f"新建职工之家{number % 40 + 1}个。",
        f"据{place}总工会{title}{_name(rng)}说，下一步将继续推进基层工会规范化建设。",
    ])


def synthetic_text(n_bytes: int, seed: int = 7) -> str:
    """About ``n_bytes`` of UTF-8: a headline, then paragraphs of three to six invented sentences."""
    rng = random.Random(seed)
    parts = ["基层工会工作综述"]
    size = len(parts[0].encode("utf-8"))
    while size < n_bytes:
        paragraph = "".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(parts) + "\n"
