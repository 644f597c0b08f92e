"""Organizations of every kind, short forms read against the places an article names (the
gazetteer of China's divisions), and the hierarchy among the bodies it names. Sentences written
for the test."""

from __future__ import annotations

import pytest

from loaders import load_text
from loaders.extract.assemble import ArticleReader
from loaders.extract.facts import ArticleFacts
from loaders.extract.places import gazetteer


@pytest.fixture(scope="module")
def reader() -> ArticleReader:
    return ArticleReader()


def read(reader: ArticleReader, text: str) -> ArticleFacts:
    return reader.read(load_text(text, source="t.txt", key="t"))


def test_the_gazetteer_knows_every_level() -> None:
    places = gazetteer()
    place, (district,) = places.leading("尧都区委宣传部")  # type: ignore[misc]
    assert place == "尧都区" and district.level == "county"
    assert places.parent(district).name == "临汾市"  # type: ignore[union-attr]
    assert places.parent(places.parent(district)).name == "山西省"  # type: ignore[arg-type, union-attr]
    # A district of a municipality is under the municipality itself.
    assert places.parent(places.leading("海淀区")[1][0]).name == "北京市"  # type: ignore[index, union-attr]


def test_short_forms_take_the_place_the_article_names(reader: ArticleReader) -> None:
    facts = read(
        reader,
        "尧都区总工会召开职工代表座谈会，区委书记林振华讲话，区政协副主席周丽萍到会。"
        "市总工会副主席吴建国参加。尧都区总工会为尧都区疾病预防控制中心职工举办讲座。",
    )
    assert {"尧都区委", "尧都区政协", "临汾市总工会", "尧都区疾病预防控制中心"} <= set(facts.organizations)
    posts = {(p.person, p.role, p.organization) for p in facts.posts}
    assert ("林振华", "书记", "尧都区委") in posts
    assert ("周丽萍", "副主席", "尧都区政协") in posts
    assert ("尧都区总工会", "临汾市总工会") in {(h.child, h.parent) for h in facts.hierarchy}


def test_a_short_form_with_no_place_stays_the_articles_own_body(reader: ArticleReader) -> None:
    facts = read(reader, "区委书记林振华出席活动并讲话。")
    assert facts.organizations["区委"].scoped
    assert ("林振华", "书记", "区委") in {(p.person, p.role, p.organization) for p in facts.posts}


def test_a_department_named_without_its_body(reader: ArticleReader) -> None:
    facts = read(reader, "尧都区总工会慰问职工。区委常委、组织部部长林晓燕陪同。")
    department = facts.organizations["尧都区委组织部"]
    assert "组织部" in department.aliases
    assert ("林晓燕", "部长", "尧都区委组织部") in {(p.person, p.role, p.organization) for p in facts.posts}
    assert ("尧都区委组织部", "尧都区委") in {(h.child, h.parent) for h in facts.hierarchy}


def test_township_and_street_unions_under_their_district_union(reader: ArticleReader) -> None:
    facts = read(reader, "尧都区总工会召开会议，东关街道工会联合会、屯里镇总工会参加。")
    links = {(h.child, h.parent) for h in facts.hierarchy}
    assert ("东关街道工会联合会", "尧都区总工会") in links
    assert ("屯里镇总工会", "尧都区总工会") in links


def test_a_city_prefix_before_a_district_is_dropped(reader: ArticleReader) -> None:
    facts = read(reader, "临汾市尧都区总工会开展活动。尧都区总工会主席林振华说，很好。")
    assert "临汾市尧都区总工会" in facts.organizations["尧都区总工会"].aliases


def test_organizations_of_every_kind(reader: ArticleReader) -> None:
    facts = read(
        reader,
        "尧都区妇联、团区委、尧都区红十字会和尧都区人民医院、临汾市第一中学、山西华康机械有限公司参加。",
    )
    kinds = {name: org.kind for name, org in facts.organizations.items()}
    assert kinds["尧都区妇联"] == "MassOrganization"
    assert kinds["尧都区红十字会"] == "MassOrganization"
    assert kinds["尧都区人民医院"] == "PublicInstitution"
    assert kinds["临汾市第一中学"] == "PublicInstitution"
    assert kinds["山西华康机械有限公司"] == "Enterprise"


def test_a_place_the_tagger_calls_an_organization_is_none(reader: ArticleReader) -> None:
    facts = read(reader, "尧都工会开展活动，尧都的职工参加。")
    assert "尧都" not in facts.organizations


def test_a_chain_of_posts_goes_on_across_a_comma(reader: ArticleReader) -> None:
    facts = read(
        reader,
        "尧都区人大常委会党组副书记、副主任，尧都区总工会主席林振华，尧都区总工会副主席周丽萍出席。",
    )
    posts = {(p.person, p.role, p.organization) for p in facts.posts}
    assert {
        ("林振华", "党组副书记", "尧都区人大常委会"),
        ("林振华", "副主任", "尧都区人大常委会"),
        ("林振华", "主席", "尧都区总工会"),
        ("周丽萍", "副主席", "尧都区总工会"),
    } <= posts
    assert not any(p[0] == "周丽萍" and p[1] != "副主席" for p in posts)


def test_bodies_of_one_kind_under_the_same_kind_one_level_up(reader: ArticleReader) -> None:
    facts = read(reader, "临汾市妇联、尧都区妇联和共青团临汾市委、共青团尧都区委联合开展活动。")
    links = {(h.child, h.parent) for h in facts.hierarchy}
    assert ("尧都区妇联", "临汾市妇联") in links
    assert ("共青团尧都区委", "共青团临汾市委") in links


def test_the_youth_league_committee_of_the_district(reader: ArticleReader) -> None:
    facts = read(reader, "尧都区总工会和团区委、区妇联联合开展活动。团区委书记林晓燕参加。")
    assert {"共青团尧都区委", "尧都区妇联"} <= set(facts.organizations)
    assert facts.organizations["共青团尧都区委"].kind == "MassOrganization"
    assert ("林晓燕", "书记", "共青团尧都区委") in {(p.person, p.role, p.organization) for p in facts.posts}


def test_a_bare_kind_of_body_is_the_one_the_text_is_about(reader: ArticleReader) -> None:
    facts = read(reader, "山西华康机械有限公司工会开展技能比武，公司董事长李建国、总经理王强出席。")
    posts = {(p.person, p.role, p.organization) for p in facts.posts}
    assert ("李建国", "董事长", "山西华康机械有限公司") in posts
    assert ("王强", "总经理", "山西华康机械有限公司") in posts


def test_a_party_secretary_and_a_district_head_hold_posts_in_different_bodies(reader: ArticleReader) -> None:
    facts = read(reader, "区委书记林振华、区长王强出席。")
    assert {(p.person, p.role) for p in facts.posts} == {("林振华", "书记")}


def test_an_ending_the_tagger_split_is_taken_whole(reader: ArticleReader) -> None:
    facts = read(reader, "团市委召开六届二次全委（扩大）会议。")
    assert "市委" not in facts.organizations
    assert any("全委(扩大)会议" in name for name in facts.campaigns)


def test_a_tagged_name_that_runs_past_its_ending_or_names_an_honour(reader: ArticleReader) -> None:
    from loaders.extract.pipeline import load_pipeline

    recognizer = load_pipeline().get_pipe("gh_organizations")
    text = "山西华康机械有限公司全国劳模柯振邦"
    assert recognizer.trimmed(text, 0, len(text)) == (0, len("山西华康机械有限公司"))
    run_on = "临汾华康机械有限公司柯振邦山西恒达物流有限公司"
    assert recognizer.split_joined(run_on, 0, len(run_on)) == [(0, 10), (13, len(run_on))]
    assert recognizer.not_a_body("山西省劳动模范", 0, 7)


def test_a_committee_title_the_tagger_took_into_the_name(reader: ArticleReader) -> None:
    facts = read(reader, "临汾市妇联召开会议。市妇联党组书记、主席王丽华作报告。")
    posts = {(p.person, p.role, p.organization) for p in facts.posts}
    assert {("王丽华", "党组书记", "临汾市妇联"), ("王丽华", "主席", "临汾市妇联")} <= posts


def test_a_bodys_kind_standing_for_the_body(reader: ArticleReader) -> None:
    facts = read(
        reader, "山西华康机械有限公司工会举办技能比武。公司党委书记李建国出席。今年公司工会投入经费35万元。"
    )
    assert "公司党委" in facts.organizations["山西华康机械有限公司党委"].aliases
    links = {(h.child, h.parent) for h in facts.hierarchy}
    assert ("山西华康机械有限公司党委", "山西华康机械有限公司") in links
    assert {f.text: f.about for f in facts.figures}["35万元"] == "山西华康机械有限公司工会"


def test_the_youth_league_by_its_name_whatever_it_ends_in(reader: ArticleReader) -> None:
    facts = read(reader, "共青团尧都区委、尧都区残联和尧都区教育局在区第一中学开展活动。")
    kinds = {name: org.kind for name, org in facts.organizations.items()}
    assert kinds["共青团尧都区委"] == "MassOrganization" and kinds["尧都区残联"] == "MassOrganization"
    assert "区第一" not in kinds and kinds["尧都区第一中学"] == "PublicInstitution"


def test_a_body_its_holders_title_follows_starts_at_its_own_word() -> None:
    from loaders.extract.pipeline import load_pipeline
    from tests.test_people import tagged

    doc = tagged(load_pipeline(), "他/r 身为/n 支行/n 行长/n 助理/n ，/w")
    assert [span.text for span in doc.spans["gh_org"]] == ["支行"]
