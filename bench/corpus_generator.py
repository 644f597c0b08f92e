"""Varied synthetic union-news articles for the scale benchmark: invented text, realistic skew.

    .venv/bin/python bench/corpus_generator.py OUT_DIR --articles 1000 --seed 7

Every sentence is made here from invented parts (no corpus text). What varies, and how:

- Places are real divisions from the gazetteer that ``cpca`` ships (``adcodes.csv``: province,
  city, district or county), so the pipeline resolves them; each article is about one district,
  drawn by a Zipf-like law over a shuffled list of districts, so a few districts fill many articles
  and most appear once or twice.
- Bodies at several levels hang off that district: the province, city and district federations of
  trade unions, street unions (invented street names), the district's 妇联 and 共青团 committee, a
  department of the union (组织部 …), the human-resources bureau, and companies (``…有限公司``)
  with their own union.
- People are the officials of those bodies, fixed per body (a random generator seeded with the
  body's name): so the same person recurs, with the same post, in every article about that body.
  Surnames follow rough national frequencies (王, 李, 张 … with a long tail), given names one or two
  characters from a pool of common ones: thousands of distinct names at 10,000 articles, with the
  usual collisions (two 王伟 in different bodies).
- Campaigns are quoted names with a trigger word after them (“…”活动 / 工程 / 行动 / 竞赛 …), drawn
  by a Zipf law from a pool of theme combinations, plus district campaigns and meetings
  (第N次代表大会); figures (吸纳会员N名, 投入N万元 …) with years 2015-2024, and a date line per article.

Everything is drawn from ``random.Random`` seeded from ``seed`` (and the body's name for its
officials), so the same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import importlib.util
import itertools
import random
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# -- invented building blocks -------------------------------------------------------------------------

#: Common surnames with rough shares (per mille) of the population; the long tail weighs little.
SURNAMES: dict[str, float] = {
    "王": 71, "李": 70, "张": 67, "刘": 54, "陈": 45, "杨": 32, "黄": 22, "赵": 22, "吴": 20, "周": 19,
    "徐": 17, "孙": 15, "马": 15, "朱": 13, "胡": 13, "郭": 12, "何": 12, "高": 11, "林": 11, "罗": 10,
    "郑": 10, "梁": 9, "谢": 8, "宋": 8, "唐": 7, "许": 7, "韩": 7, "冯": 7, "邓": 7, "曹": 7,
    "彭": 6, "曾": 6, "肖": 6, "田": 6, "董": 5, "袁": 5, "潘": 5, "于": 5, "蒋": 5, "蔡": 5,
    "余": 5, "杜": 5, "叶": 4, "程": 4, "苏": 4, "魏": 4, "吕": 4, "丁": 4, "任": 4, "沈": 4,
    "姚": 4, "卢": 4, "姜": 4, "崔": 4, "钟": 4, "谭": 3, "陆": 3, "汪": 3, "范": 3, "金": 3,
    "石": 3, "廖": 3, "贾": 3, "夏": 3, "韦": 3, "付": 3, "方": 3, "白": 3, "邹": 3, "孟": 3,
    "熊": 3, "秦": 3, "邱": 3, "江": 3, "尹": 3, "薛": 2, "闫": 2, "段": 2, "雷": 2, "侯": 2,
    "龙": 2, "史": 2, "陶": 2, "黎": 2, "贺": 2, "顾": 2, "毛": 2, "郝": 2, "龚": 2, "邵": 2,
    "万": 2, "钱": 2, "严": 2, "覃": 2, "武": 2, "戴": 2, "莫": 2, "孔": 2, "向": 2, "汤": 2,
}
GIVEN_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国晓文斌宇浩凯健俊帆旭宁欣佳嘉"
    "琳雪梅莉婷倩颖瑶怡思雨晨峰波亮志海新东春永德荣庆兰凤云飞鑫丹蕾薇璐慧晶彬岩博昊轩泽睿振家光宏"
    "福兵生卫学忠民立松柏毅锋军利清惠珍淑燕秋菊霖琦悦婧然昕诚铭"
)
STREET_WORDS = [
    "城关", "新华", "东风", "和平", "人民", "建设", "光明", "胜利",
    "团结", "朝阳", "长安", "滨河", "北苑", "南湖", "西湖", "东湖",
    "清河", "龙潭", "金山", "银杏", "桃园", "杏林", "望江", "临江",
    "青山", "松林", "柳园", "花园", "丰收", "兴隆", "振兴", "新民",
    "永安", "长青", "太平", "文化", "育才", "环城", "五里", "三元",
]
BRANDS = [
    "华信", "恒通", "宏达", "鑫源", "金桥", "博远", "天成", "瑞丰",
    "永盛", "嘉和", "新元", "东方", "汇通", "联创", "中兴", "泰和",
    "安康", "富源", "隆基", "星光", "远航", "明德", "同心", "正大",
    "宝丰", "祥瑞", "顺达", "海川", "立信", "和美",
]
INDUSTRIES = [
    "科技", "建设", "物流", "电子", "食品", "机械", "纺织",
    "能源", "环保", "医药", "置业", "交通", "商贸", "材料",
]
DEPARTMENTS = ["组织部", "宣传教育部", "权益保障部", "女职工委员会", "经费审查委员会", "法律工作部"]
CAMPAIGN_CORES = [
    "职工技能提升", "劳模工匠进校园",
    "暖心驿站建设", "职工书屋共建",
    "金秋助学", "冬送温暖",
    "夏送清凉", "安康杯竞赛",
    "户外劳动者关爱", "女职工关爱",
    "职工心理健康", "产业工人队伍建设",
    "工会服务进万家", "职工文化",
    "新就业形态劳动者入会", "困难职工帮扶",
    "职工疗休养", "劳动技能竞赛",
    "工会会员实名制", "职工法律援助",
    "创新工作室创建", "职工健步走",
    "一线职工读书", "青年职工成才",
    "和谐劳动关系创建", "职工之家建设",
    "工会阵地提升", "农民工欠薪治理",
    "爱心托管", "职工子女托管",
    "工会服务站点建设", "职工普惠",
    "数字工会建设", "师带徒",
    "五一劳动奖评选", "职工体育健身",
]
CAMPAIGN_PREFIXES = ["", "", "", "{year}年", "百日", "十万职工", "千企万岗", "基层"]
CAMPAIGN_TRIGGERS = ["活动", "工程", "行动", "竞赛", "专项行动", "系列活动", "计划"]
MEDIA = ["工人日报", "劳动报", "职工之家报", "工会信息网"]
CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1-99 in Chinese numerals (第十二次 …)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_NUMERALS[tens]) + "十" + (CHINESE_NUMERALS[units] if units else "")


# -- places from the gazetteer ------------------------------------------------------------------------


@dataclass(frozen=True)
class District:
    province: str
    city: str
    name: str

    @property
    def short(self) -> str:
        """The name without its type ending (平谷区 → 平谷), for campaign and headline words."""
        return self.name[:-1] if len(self.name) > 2 else self.name


def _adcodes_path() -> Path:
    """cpca's data file, found without importing the package (its import loads jieba)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        raise RuntimeError("the cpca package (a project dependency) is not installed")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


@cache
def districts() -> tuple[District, ...]:
    """Every district or county of the gazetteer with its city and province, in code order."""
    names: dict[str, str] = {}
    with _adcodes_path().open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["adcode"]] = row["name"]
    found = []
    for code, name in sorted(names.items()):
        is_county = code[6:] == "000000" and code[4:6] != "00"  # 12 digits: PPCCDD000000
        if not is_county or not name.endswith(("区", "县", "市")) or name == "市辖区":
            continue
        province = names.get(code[:2] + "0" * 10, "")
        city = names.get(code[:4] + "0" * 8, "")
        if city in ("", "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            city = province  # a municipality's districts (北京市 → 朝阳区)
        if province and city and len(name) >= 2:
            found.append(District(province, city, name))
    return tuple(found)


# -- Zipf-like draws ----------------------------------------------------------------------------------


class Zipf:
    """Draw items with weight 1 / rank**s: the first few often, the long tail rarely."""

    def __init__(self, items: list, s: float = 1.05):
        self.items = items
        self.cumulative = list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, len(items) + 1)))

    def draw(self, rng: random.Random):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _person_name(rng: random.Random) -> str:
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(GIVEN_CHARACTERS) for _ in range(length))


# -- the world an article is drawn from ---------------------------------------------------------------


class World:
    """Bodies, their officials and the campaign pool, fixed by ``seed``."""

    def __init__(self, seed: int):
        self.seed = seed
        rng = random.Random(f"world:{seed}")
        pool = list(districts())
        rng.shuffle(pool)
        self.districts = Zipf(pool, s=1.1)
        themes = [
            (prefix, core, trigger)
            for core in CAMPAIGN_CORES
            for prefix in dict.fromkeys(CAMPAIGN_PREFIXES)
            for trigger in CAMPAIGN_TRIGGERS
        ]
        rng.shuffle(themes)
        self.campaigns = Zipf(themes, s=1.0)

    def _rng(self, *key: object) -> random.Random:
        return random.Random(":".join(map(str, (self.seed, *key))))

    def official(self, body: str, post: str, number: int = 0) -> str:
        """The person holding ``post`` in ``body`` (the ``number``-th of several deputies)."""
        return _person_name(self._rng("official", body, post, number))

    def streets(self, district: District) -> list[str]:
        words = self._rng("streets", district.name).sample(STREET_WORDS, 4)
        return [f"{district.name}{word}街道总工会" for word in words]

    def companies(self, district: District) -> list[str]:
        rng = self._rng("companies", district.name)
        city = district.city.removesuffix("市") if len(district.city) > 2 else district.city
        return [
            f"{city}{brand}{rng.choice(INDUSTRIES)}有限公司"
            for brand in rng.sample(BRANDS, rng.randint(3, 6))
        ]


# -- one article --------------------------------------------------------------------------------------


class ArticleWriter:
    """The sentences of one article about ``district`` in ``year``."""

    def __init__(self, world: World, rng: random.Random):
        self.world, self.rng = world, rng
        self.district: District = world.districts.draw(rng)
        self.year = rng.randint(2015, 2024)
        self.month, self.day = rng.randint(1, 12), rng.randint(1, 28)

    # bodies
    @property
    def union(self) -> str:
        return f"{self.district.name}总工会"

    @property
    def city_union(self) -> str:
        return f"{self.district.city}总工会"

    @property
    def province_union(self) -> str:
        return f"{self.district.province}总工会"

    def campaign(self) -> str:
        prefix, core, trigger = self.world.campaigns.draw(self.rng)
        if self.rng.random() < 0.15:  # a district's own campaign: rare, local
            prefix = self.district.short
        return f"“{prefix.format(year=self.year)}{core}”{trigger}"

    def n(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    # sentences
    def sentences(self) -> list[str]:
        w, d, r = self.world, self.district, self.rng
        union, city_union, province_union = self.union, self.city_union, self.province_union
        street = r.choice(w.streets(d))
        company = r.choice(w.companies(d))
        department = r.choice(DEPARTMENTS)
        head = "主任" if department.endswith("委员会") else "部长"
        chief = w.official(union, "党组书记、常务副主席")
        deputy = w.official(union, "副主席", r.randint(0, 2))
        city_chief = w.official(city_union, "党组书记、常务副主席")
        province_deputy = w.official(province_union, "副主席", r.randint(0, 3))
        women = f"{d.name}妇联"
        league = f"共青团{d.name}委员会"
        campaign, other_campaign = self.campaign(), self.campaign()
        y = self.year
        pool = [
            f"{y}年{self.month}月{self.day}日，{union}召开第{chinese_number(self.n(2, 15))}次会员代表大会，"
            f"{city_union}党组书记、常务副主席{city_chief}出席会议并讲话。",
            f"{union}党组书记、常务副主席{chief}介绍，{y}年全区各级工会共吸纳会员{self.n(120, 9800)}名，"
            f"新建基层工会{self.n(3, 180)}个。",
            f"为深入开展{campaign}，{union}联合{women}、{league}举办专题培训{self.n(2, 60)}场，"
            f"培训职工{self.n(80, 6000)}人次。",
            f"{y}年，{union}投入资金{self.n(10, 900)}万元，走访慰问困难职工{self.n(20, 3000)}户。",
            f"{street}主席{w.official(street, '主席')}表示，将继续推进{other_campaign}，让职工得到更多实惠。",
            f"{company}董事长{w.official(company, '董事长')}说，公司工会今年为职工办实事{self.n(3, 40)}件。",
            f"{women}主席{w.official(women, '主席')}、{union}副主席{deputy}等参加活动。",
            f"本次活动由{union}主办，{company}工会承办，{street}协办。",
            f"{union}{department}{head}{w.official(union + department, head)}介绍，"
            f"{y - 1}年共调解劳动争议{self.n(5, 400)}件，涉及金额{self.n(10, 2000)}万元。",
            f"{province_union}副主席{province_deputy}一行到{d.name}调研{campaign}开展情况。",
            f"{league}书记{w.official(league, '书记')}表示，将组织青年职工参与{other_campaign}。",
            f"{d.name}人力资源和社会保障局局长{w.official(d.name + '人社局', '局长')}介绍，"
            f"全区今年新增就业岗位{self.n(200, 20000)}个。",
            f"{street}在{union}指导下建成职工之家{self.n(2, 30)}个，服务职工{self.n(300, 30000)}人次。",
            f"{company}工会主席{w.official(company + '工会', '工会主席')}介绍，"
            f"公司{y}年投入{self.n(5, 300)}万元改善职工食堂和宿舍。",
            f"{y}年以来，{company}吸纳会员{self.n(20, 900)}名，工会会员覆盖率达到{self.n(60, 99)}%。",
            f"{union}副主席{w.official(union, '副主席', r.randint(0, 2))}带队走访了{company}等"
            f"{self.n(3, 40)}家企业，发放慰问金{self.n(2, 80)}万元。",
            f"{city_union}{r.choice(DEPARTMENTS[:3])}部长"
            f"{w.official(city_union, '部长', r.randint(0, 2))}在讲话中指出，"
            f"要把{campaign}作为重点工作抓紧抓实。",
        ]
        r.shuffle(pool)
        return pool[: self.n(8, 13)]

    def headline(self) -> str:
        return self.rng.choice([
            f"{self.union}扎实推进{self.campaign()}",
            f"{self.district.short}：工会服务职工有温度",
            f"{self.union}召开{self.year}年工作会议",
            f"聚焦职工所需 {self.district.short}工会出实招",
        ])

    def text(self) -> str:
        headline = self.headline()
        date = f"{self.year}-{self.month:02d}-{self.day:02d}"
        source = self.rng.choice(MEDIA)
        sentences = self.sentences()
        paragraphs, i = [], 0
        while i < len(sentences):
            size = self.rng.randint(1, 3)
            paragraphs.append("".join(sentences[i : i + size]))
            i += size
        byline = f"本报记者 {_person_name(self.rng)}"
        return "\n\n".join([headline, f"发布时间：{date}　来源：{source}", byline, *paragraphs]) + "\n"


def article_texts(n_articles: int, seed: int) -> list[str]:
    """``n_articles`` article texts; the first ``k`` are the same whatever ``n_articles`` is."""
    world = World(seed)
    return [ArticleWriter(world, random.Random(f"article:{seed}:{i}")).text() for i in range(n_articles)]


def write_corpus(folder: str | Path, n_articles: int, seed: int = 7, prefix: str = "article") -> list[Path]:
    """Write ``n_articles`` files ``PREFIX-00000.txt`` … into ``folder`` (created); returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(article_texts(n_articles, seed)):
        path = folder / f"{prefix}-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", metavar="OUT_DIR", help="folder to write the .txt files into")
    parser.add_argument("--articles", type=int, default=100, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--prefix", default="article", help="file name prefix (default: article)")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.articles, args.seed, args.prefix)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} articles ({size / 1e6:.2f} MB) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
