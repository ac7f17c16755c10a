"""Linking the departments a directive names, with and without a directory."""

import pytest

from importer.departments import Directory, find_departments, link, to_refs
from importer.directory import load_bundled_directory
from importer.extract import extract_prose, extract_tasks
from importer.types import LEAD, SUPPORT, DirectoryEntry


def refs(text: str, directory: Directory):
    return to_refs(find_departments(text, directory))


def names(text: str, directory: Directory) -> list[str]:
    return [r.name or r.mention for r in refs(text, directory)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全市上下要认真清形势", ["各级各部门"]),
        ("全市各级各部门和乡镇(街道)要把消防安全作为最大的民生工程", ["各级各部门", "乡镇(街道)"]),
        ("各乡镇(街道)、相关部门要认真学习", ["乡镇(街道)", "相关部门"]),
        ("各有关部门和乡镇(街道)要按照市委、市政府的统一部署", ["相关部门", "乡镇(街道)"]),
        ("各部门、乡镇(街道)要组织本单位同志认真学习", ["各级各部门", "乡镇(街道)"]),
        ("市政府系统要按照市委要求,周密部署", ["各级各部门"]),
        ("各地各部门要尽最大力度完成整改", ["各级各部门"]),
        ("全县各级各部门要紧盯年度目标", ["各级各部门"]),
        ("各街道办事处要做好居民意见征询工作", ["乡镇(街道)"]),
        ("各乡镇人民政府、街道办事处要加强组织领导", ["乡镇(街道)"]),
        ("各镇(街道)人民政府要落实属地责任", ["乡镇(街道)"]),
        ("县委、县政府各部门要严格落实消防安全责任制", ["各级各部门"]),
        ("市委市政府各部门要带头过紧日子", ["各级各部门"]),
        ("区委、区政府各部门和各街道要压实责任", ["各级各部门", "乡镇(街道)"]),
        ("请各承办单位于每月25日前报送落实情况", ["相关部门"]),
        ("各协办单位要主动对接", ["相关部门"]),
        ("县文旅局要牵头打造精品线路,各相关乡镇配合", [None, "乡镇(街道)"]),
        ("沿线各镇(街道)要做好管线迁改工作", ["乡镇(街道)"]),
        ("辖区各街道要落实网格巡查", ["乡镇(街道)"]),
        ("项目所在地乡镇要做好征地工作", ["乡镇(街道)"]),
    ],
)
def test_group_words_link_with_an_empty_directory(text, expected, empty_directory):
    found = refs(text, empty_directory)
    assert [r.name for r in found] == expected
    assert all(r.is_group for r in found if r.name)


def test_group_names_follow_the_directory_when_it_has_the_group(city_directory):
    assert names("各级各部门要勇于担当", city_directory) == ["全市各部门"]
    assert names("乡镇要不断强化主体责任", city_directory) == ["各乡镇(街道)"]


def test_unknown_departments_keep_their_mention_and_no_name(empty_directory):
    found = refs("市农办要按照规划提出可行目标", empty_directory)
    assert [(r.mention, r.name) for r in found] == [("市农办", None)]


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        (
            "教体部门负责文化、艺术类民办培训学校的管理工作,人力社保部门负责技能类学校的管理工作,乡镇(街道)履行属地管理职责",
            ["教体部门", "人力社保部门", "乡镇(街道)"],
        ),
        ("开发区(工业园区)要以创建国家级开发区为目标", ["开发区(工业园区)"]),
        ("城南新区要切实履行主体责任,相关部门要相互配合", ["城南新区", "相关部门"]),
        ("县生态环境分局和县水利局要在三个月内完成排查整改", ["县生态环境分局", "县水利局"]),
        ("水利、应急等部门要加强会商研判", ["水利", "应急"]),
        ("各县(市、区)要提前转移低洼地带群众", ["各县(市、区)"]),
        ("作为主平台和主战场,开发区(工业园区)要以创建国家级开发区为目标", ["开发区(工业园区)"]),
    ],
)
def test_subjects_give_sensible_mentions(text, mentions, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == mentions


@pytest.mark.parametrize(
    "text",
    [
        "加快科创中心(三期)、北航投星空众创空间等平台建设",
        "加强市砂石资源管理有限公司的运行管理",
        "重点培育昂利康、亿田等企业的股改上市工作,确保到2020年全市上市公司达5家以上",
        "努力把科创中心建设成为综合性科技创新中心",
        "对开发区(工业园区)实施改造提升,力争开发区年产值超千亿元",
        "定点砂场到期一家关停一家",
        "民办培训学校应建立健全突发事件应急管理机制",
        "立即进入工作状态,迅速部署落实",
        "做到违章建筑拆除到位,小微园区建设到位",
    ],
)
def test_objects_of_the_action_are_not_owners(text, city_directory):
    assert refs(text, city_directory) == ()


def test_directory_resolves_aliases_and_the_same_department_under_another_suffix(city_directory):
    assert names("市发改局要牵头制定措施", city_directory) == ["市发展和改革局"]
    assert names("教体部门负责文化类学校的管理", city_directory) == ["市教育体育局"]
    assert names("住建部门要加强监管", city_directory) == ["市住房和城乡建设局"]


def test_list_prefix_carries_to_the_following_names(city_directory):
    assert names("区财政局、住建局等部门要做好保障", city_directory) == ["区财政局", "区住建局"]


def test_lead_and_support_come_from_cue_words(empty_directory):
    found = refs("由县发改局牵头,县财政局、县教育局配合,将项目逐项分解", empty_directory)
    assert [(r.mention, r.role) for r in found] == [
        ("县发改局", LEAD),
        ("县财政局", SUPPORT),
        ("县教育局", SUPPORT),
    ]
    found = refs("市财政局要会同市经信局建立惠企政策机制", empty_directory)
    assert [(r.mention, r.role) for r in found] == [("市财政局", LEAD), ("市经信局", SUPPORT)]
    found = refs("市综合执法局要完成整合,市委编办、市人力社保局要积极配合", empty_directory)
    assert [r.role for r in found] == [LEAD, SUPPORT, SUPPORT]


@pytest.mark.parametrize(
    "text",
    [
        "区住建局要牵头抓好燃气安全整治,区市场监管局、区消防救援大队按职责配合",
        "区住建局要牵头抓好燃气安全整治,区市场监管局、区消防救援大队按照职责分工做好配合",
        "区住建局要牵头抓好燃气安全整治,区市场监管局、区消防救援大队依职责协助",
    ],
)
def test_a_manner_between_a_name_and_its_support_cue_keeps_the_support_role(text, empty_directory):
    found = refs(text, empty_directory)
    assert [(r.mention, r.role) for r in found] == [
        ("区住建局", LEAD),
        ("区市场监管局", SUPPORT),
        ("区消防救援大队", SUPPORT),
    ]


def test_departments_acting_jointly_later_in_a_directive_are_its_subjects(empty_directory):
    found = refs("三要加强渣土车管理,区公安分局、区城管局联合执法,长期坚持", empty_directory)
    assert [(r.mention, r.role) for r in found] == [("区公安分局", LEAD), ("区城管局", LEAD)]
    found = refs("要严厉打击非法营运,县交通运输局、县公安局共同开展专项整治", empty_directory)
    assert [(r.mention, r.role) for r in found] == [("县交通运输局", LEAD), ("县公安局", LEAD)]


def test_an_office_named_shi_is_a_department(empty_directory):
    found = refs("区统计局要加强统计监测分析;区督查室要加强督查考核", empty_directory)
    assert [r.mention for r in found] == ["区统计局", "区督查室"]
    assert [r.mention for r in refs("市政府督查室牵头开展专项督查", empty_directory)] == ["市政府督查室"]
    assert not refs("市重点实验室要加强技术攻关", empty_directory)


def test_labelled_owners_and_nested_brackets(empty_directory):
    text = "1.全年地区生产总值增长6%左右。(牵头单位:市发改局;责任单位:各县(市、区)人民政府,下同)"
    found = find_departments(text, empty_directory)
    assert [(m.text, m.role, carry) for m, _, carry in found] == [
        ("市发改局", LEAD, False),
        ("各县(市、区)人民政府", SUPPORT, True),
    ]
    text = "新建改建农村公路300公里。(市交通运输局牵头,市财政局配合)"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("市交通运输局", LEAD),
        ("市财政局", SUPPORT),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "全年地区生产总值增长6%左右。(牵头单位:市发改局;责任单位:各县(市、区))",
        "全年地区生产总值增长6%左右。(责任单位:各县(市、区);牵头单位:市发改局)",
        "全年地区生产总值增长6%左右。\n牵头部门:市发改局\n责任部门:各县(市、区)",
    ],
)
def test_responsible_units_named_beside_a_lead_unit_support_it(text, empty_directory):
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] in (
        [("市发改局", LEAD), ("各县(市、区)", SUPPORT)],
        [("各县(市、区)", SUPPORT), ("市发改局", LEAD)],
    )


def test_responsible_units_without_a_lead_unit_lead(empty_directory):
    text = "新建公共停车场8处。(责任单位:县住建局、县交通运输局;完成时限:2022年6月30日)"
    assert [r.role for r in refs(text, empty_directory)] == [LEAD, LEAD]


def test_a_department_named_both_lead_unit_and_responsible_unit_leads(empty_directory):
    text = "全年地区生产总值增长6%左右。(牵头单位:市发改局;责任单位:市发改局、各县(市、区))"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("市发改局", LEAD),
        ("各县(市、区)", SUPPORT),
    ]


def test_labels_set_in_brackets_name_the_owners(empty_directory):
    found = refs(
        "收入增长同步。【牵头单位】市人社局【配合单位】市统计局、市农业农村局【完成时限】全年",
        empty_directory,
    )
    assert [(r.mention, r.role) for r in found] == [
        ("市人社局", LEAD),
        ("市统计局", SUPPORT),
        ("市农业农村局", SUPPORT),
    ]


def test_xiatong_carries_owners_to_the_later_tasks(empty_directory):
    text = (
        "任务分解\n1.稳增长。(牵头单位:市发改局;责任单位:各县(市、区)人民政府,下同)\n"
        "2.促投资。(牵头单位:市财政局)\n3.惠民生。(市人力社保局牵头)\n"
    )
    tasks = extract_tasks(text)
    linked = link(tasks, empty_directory)
    assert [[r.mention for r in deps] for deps in linked] == [
        ["市发改局", "各县(市、区)人民政府"],
        ["市财政局", "各县(市、区)人民政府"],
        ["市人力社保局", "各县(市、区)人民政府"],
    ]


def test_clauses_without_subject_inherit_inside_their_passage_only(empty_directory):
    text = (
        "会议要求,科创中心要引入专业运营团队;要大力引进科技人才。"
        "会议还研究了餐厨垃圾管理办法。会议明确,将通过政府购买服务启动收运工作。"
    )
    directives = [d for d in extract_prose(text) if d.is_item]
    linked = link(directives, empty_directory)
    assert [[r.mention for r in deps] for deps in linked] == [["科创中心"], ["科创中心"], []]
    assert linked[1][0].inherited


def test_a_school_or_company_as_subject_stops_inheritance(empty_directory):
    text = "会议强调,市住建局要实施拆除重建。市第一中学要加快新校区建设。"
    directives = [d for d in extract_prose(text) if d.is_item]
    assert [[r.mention for r in deps] for deps in link(directives, empty_directory)] == [["市住建局"], []]


def test_people_are_not_departments(empty_directory):
    text = "全市上下要大力宣扬丧葬新风,全市各级党员干部、村(社区)干部要带头实行节地生态安葬"
    assert names(text, empty_directory) == ["各级各部门"]


def test_directory_entries_are_used_for_every_alias():
    d = Directory([DirectoryEntry("市科技创新中心", aliases=("科创中心",))])
    assert names("科创中心要围绕创建国家级孵化器的目标", d) == ["市科技创新中心"]


def test_a_department_heading_a_decision_is_its_subject_without_a_directive_word(empty_directory):
    assert [r.mention for r in refs("2、市财政局安排专项资金500万元", empty_directory)] == ["市财政局"]
    assert refs("推进市民中心建设", empty_directory) == ()


def test_an_unknown_name_in_a_list_keeps_the_prefix_the_list_carries(empty_directory):
    found = refs("区住建局、交通运输局等部门要加强在建工地安全监管", empty_directory)
    assert [(r.mention, r.name) for r in found] == [("区住建局", None), ("区交通运输局", None)]


def test_a_name_inside_a_list_may_start_like_a_verb(empty_directory):
    found = refs("县发改局、经信局、商务局等部门要加强经济运行监测分析", empty_directory)
    assert [r.mention for r in found] == ["县发改局", "县经信局", "县商务局"]


def test_a_name_is_cut_where_the_department_ends_not_at_a_later_place_word(empty_directory):
    found = refs("市公安局交警支队要会同市城管局于四月底前完成主城区道路停车泊位施划", empty_directory)
    assert [(r.mention, r.role) for r in found] == [("市公安局交警支队", LEAD), ("市城管局", SUPPORT)]


def test_what_is_handed_to_a_department_by_you_is_not_its_name(empty_directory):
    assert [r.mention for r in refs("(四)征迁补偿资金由区财政局统筹安排,按月拨付", empty_directory)] == [
        "区财政局"
    ]


def test_a_company_or_school_as_subject_of_any_clause_stops_inheritance(empty_directory):
    text = (
        "会议明确如下:1.县住建局负责做好施工图审查工作。2.区国资公司负责做好煤炭储备。"
        "3.项目建成后移交县第三小学使用,县第三小学要提前做好师资招聘工作。"
    )
    directives = [d for d in extract_prose(text) if d.is_item]
    assert [[r.mention for r in deps] for deps in link(directives, empty_directory)] == [["县住建局"], [], []]


def test_xiatong_in_brackets_after_a_name_carries_it(empty_directory):
    text = "任务分解\n1.稳增长。\n牵头单位:县发改局\n责任单位:各乡镇(街道)(下同)\n2.促投资。(县经信局牵头)\n"
    linked = link(extract_tasks(text), empty_directory)
    assert [[r.name or r.mention for r in deps] for deps in linked] == [
        ["县发改局", "乡镇(街道)"],
        ["县经信局", "乡镇(街道)"],
    ]


def test_the_manner_of_sharing_a_task_is_not_part_of_the_names(empty_directory):
    text = "5.建成县级工业互联网平台。(县经信局、县大数据中心按职责分工负责)"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("县经信局", LEAD),
        ("县大数据中心", LEAD),
    ]


def test_a_company_in_an_owner_column_is_no_department(empty_directory):
    text = "4.新增公共充电桩500个(牵头单位:区发改局;责任单位:国网南岭供电公司;完成时间:三季度)。"
    assert [r.mention for r in refs(text, empty_directory)] == ["区发改局"]


def test_a_time_limit_opening_a_clause_is_no_name(empty_directory):
    found = refs("区应急管理局要牵头开展警示教育,15日内组织一次全区生产经营单位负责人培训", empty_directory)
    assert [r.mention for r in found] == ["区应急管理局"]


def test_a_name_ends_before_the_verb_that_follows_it(empty_directory):
    found = refs("请县教育局会同县发改局抓紧办理立项手续", empty_directory)
    assert [(r.mention, r.role) for r in found] == [("县教育局", LEAD), ("县发改局", SUPPORT)]


def test_a_role_marked_after_one_name_of_an_owner_field(empty_directory):
    text = "(一)建设水厂。\n责任单位:县住建局(牵头)、县自然资源局、城关镇\n"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("县住建局", LEAD),
        ("县自然资源局", SUPPORT),
        ("城关镇", SUPPORT),
    ]


def test_xiatong_after_one_name_carries_that_name_only(empty_directory):
    text = "清单\n(一)修路。\n责任单位:县交通运输局(牵头)、各乡镇(下同)\n(二)招商。\n责任单位:县商务局\n"
    linked = link(extract_tasks(text), empty_directory)
    assert [[r.name or r.mention for r in deps] for deps in linked] == [
        ["县交通运输局", "乡镇(街道)"],
        ["县商务局", "乡镇(街道)"],
    ]


def test_a_department_opening_a_later_clause_with_a_task_verb_is_a_subject(empty_directory):
    found = refs("市城管局要加快管网改造,市财政局安排补助资金1500万元", empty_directory)
    assert [r.mention for r in found] == ["市城管局", "市财政局"]
    assert [r.mention for r in refs("要加快改造,市财政局安排的资金要及时到位", empty_directory)] == []


@pytest.mark.parametrize(
    "text",
    [
        "县人社局牵头、县住建局和县交通运输局配合,开展根治欠薪冬季专项行动",
        "由县人社局牵头、县住建局、县交通运输局配合,开展专项行动",
    ],
)
def test_a_role_closed_by_a_list_comma_is_followed_by_the_supporting_departments(text, empty_directory):
    found = refs(text, empty_directory)
    assert [(r.mention, r.role) for r in found] == [
        ("县人社局", LEAD),
        ("县住建局", SUPPORT),
        ("县交通运输局", SUPPORT),
    ]


def test_departments_that_work_closely_with_one_another_all_lead(empty_directory):
    found = refs("市商务局、市发改委、市市场监管局要密切配合,加强生活必需品市场监测", empty_directory)
    assert [(r.mention, r.role) for r in found] == [
        ("市商务局", LEAD),
        ("市发改委", LEAD),
        ("市市场监管局", LEAD),
    ]
    found = refs("市综合执法局要完成整合,市委编办、市人力社保局要密切配合", empty_directory)
    assert [r.role for r in found] == [LEAD, SUPPORT, SUPPORT]


def test_the_department_helped_leads_and_the_helper_supports(empty_directory):
    found = refs("县公安局协助县交通运输局开展道路整治", empty_directory)
    assert [(r.mention, r.role) for r in found] == [("县公安局", SUPPORT), ("县交通运输局", LEAD)]
    found = refs("县财政局配合县教育局做好资金保障", empty_directory)
    assert [(r.mention, r.role) for r in found] == [("县财政局", SUPPORT), ("县教育局", LEAD)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各地要加强组织领导", ["各级各部门"]),
        ("市直各单位要带头落实", ["各级各部门"]),
        ("市政府各部门、各直属机构要认真执行", ["各级各部门"]),
        ("市级各有关部门要密切配合", ["相关部门"]),
        ("各有关部门和单位要按照职责分工抓好落实", ["相关部门"]),
        ("各责任单位要对照目标查漏补缺", ["相关部门"]),
        ("各乡镇(街道)和县直有关部门要抓好落实", ["乡镇(街道)", "相关部门"]),
        ("区级相关单位要密切协作", ["相关部门"]),
        ("各成员单位要加强协作", ["相关部门"]),
    ],
)
def test_more_group_words(text, expected, empty_directory):
    assert [r.name for r in refs(text, empty_directory)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "各区县要压紧压实属地责任",
        "各县(市、区)要建立工作专班",
        "各县市区政府要落实主体责任",
        "各区、县要加快项目建设",
        "各区要落实属地责任,做好征收安置工作",
        "各区政府要落实主体责任",
        "各县(市)要加快项目建设",
        "各县区政府要加快项目建设",
        "各县市区人民政府要落实属地责任",
    ],
)
def test_a_prefecture_level_citys_districts_and_counties_are_the_group_one_level_down(text, empty_directory):
    """In a city of districts and counties, they are what 乡镇(街道) are to a county-level city."""
    (found,) = refs(text, empty_directory)
    assert found.is_group and found.name == "乡镇(街道)"
    assert text.startswith(found.mention)


@pytest.mark.parametrize("text", ["各区域要加强联动", "各区级部门要做好配合"])
def test_a_word_that_starts_with_the_districts_names_no_group(text, empty_directory):
    assert not refs(text, empty_directory)


def test_the_districts_and_counties_with_their_governments_in_an_owner_field_are_the_group(empty_directory):
    found = refs("实施重点项目300个。(市发改委牵头,各县区政府负责)", empty_directory)
    assert [(r.mention, r.name) for r in found] == [("市发改委", None), ("各县区政府", "乡镇(街道)")]


def test_a_sentence_led_by_the_districts_and_counties_does_not_take_the_previous_subject(empty_directory):
    text = "会议强调,市住建局要做好燃气安全专项整治。各区县要压紧压实属地责任。"
    directives = [d for d in extract_prose(text) if d.is_item]
    linked = link(directives, empty_directory)
    assert [[r.mention for r in refs_] for refs_ in linked] == [["市住建局"], ["各区县"]]


def test_the_meeting_that_approves_is_not_part_of_the_department_it_names(empty_directory):
    text = "会议同意市城管局提出的环卫作业市场化改革方案,请市城管局抓紧组织实施"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [("市城管局", LEAD)]


def test_party_departments_and_specific_work_are_read(empty_directory):
    assert [r.mention for r in refs("市委宣传部、市网信办要加强舆论引导", empty_directory)] == [
        "市委宣传部",
        "市网信办",
    ]
    assert [r.mention for r in refs("由分管副市长牵头,市应急管理局具体负责", empty_directory)] == [
        "市应急管理局"
    ]
    assert refs("西部地区要加快发展", empty_directory) == ()


def test_other_owner_labels_of_task_tables(empty_directory):
    text = "1.推进扩区。(主责单位:县发改局;协同单位:县财政局;完成时间:6月底前)"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("县发改局", LEAD),
        ("县财政局", SUPPORT),
    ]
    assert [r.name for r in refs("责任主体:各乡镇(街道)", empty_directory)] == ["乡镇(街道)"]


def test_a_list_of_companies_as_subject_stops_inheritance(empty_directory):
    text = "会议明确,由区国资办牵头,明年6月底前完成整合重组方案;区城投集团、区交投集团要做好资产清查工作。"
    directives = [d for d in extract_prose(text) if d.is_item]
    assert [[r.mention for r in deps] for deps in link(directives, empty_directory)] == [["区国资办"], []]


def test_a_unit_written_after_a_known_department_is_its_own_owner():
    d = Directory([DirectoryEntry("公安局", aliases=("市公安局",))])
    found = refs("市公安局交警支队要会同市城管局加强管理", d)
    assert [(r.mention, r.name) for r in found] == [("市公安局交警支队", None), ("市城管局", None)]
    assert [(r.mention, r.name) for r in refs("市公安局加快推进站前广场改造", d)] == [("市公安局", "公安局")]


def test_a_carried_prefix_stays_in_the_mention_when_the_directory_knows_the_short_name():
    d = Directory([DirectoryEntry("商务局", aliases=("市商务局",))])
    found = refs("区财政局、商务局要安排专项资金", d)
    assert [(r.mention, r.name) for r in found] == [("区财政局", None), ("区商务局", "商务局")]


def test_a_township_in_a_list_keeps_its_own_name(empty_directory):
    assert [r.mention for r in refs("市综合执法局、长乐镇要相互配合", empty_directory)] == [
        "市综合执法局",
        "长乐镇",
    ]


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("开发区管委会要加快推进扩区调位", "开发区管委会"),
        ("县住房和城乡建设局要加快老旧小区改造", "县住房和城乡建设局"),
        ("市发展和改革委员会要牵头制定方案", "市发展和改革委员会"),
        ("市人民政府办公室要加强督查", "市人民政府办公室"),
    ],
)
def test_full_names_end_at_their_last_suffix(text, mention, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == [mention]


@pytest.mark.parametrize(
    "text",
    [
        "依托市大数据中心平台开展数据共享",
        "利用县融媒体中心加强宣传",
        "联合市场监管局开展检查",
        "借助市行政服务中心窗口",
    ],
)
def test_a_department_after_a_verb_of_using_or_joining_is_no_owner(text, empty_directory):
    assert refs(text, empty_directory) == ()


def test_an_owner_label_sets_the_role_of_a_department_that_is_also_the_subject(empty_directory):
    text = "各县(市、区)、市教育局、市公安局要强化防溺水宣传和巡查。(责任单位:市教育局;配合单位:市公安局、市水利局)"
    roles = {r.mention: r.role for r in refs(text, empty_directory)}
    assert roles["市教育局"] == LEAD
    assert roles["市公安局"] == SUPPORT
    assert roles["市水利局"] == SUPPORT


def _linked(text: str, directory: Directory) -> list[list[tuple[str, str]]]:
    directives = [d for d in extract_prose(text) if d.is_item]
    return [[(r.mention, r.role) for r in deps] for deps in link(directives, directory)]


def test_owner_labels_after_a_decision_of_several_sentences_keep_each_sentences_own_subject(empty_directory):
    text = (
        "会议要求,区住建局要加快老旧小区改造,年内完成改造小区60个。区财政局负责保障改造资金。\n"
        "(责任单位:区住建局 配合单位:区财政局、各街道 完成时限:2024年11月30日)\n"
    )
    assert _linked(text, empty_directory) == [
        [("区住建局", LEAD), ("区财政局", SUPPORT), ("各街道", SUPPORT)],
        [("区财政局", LEAD)],
    ]


def test_owner_labels_at_the_end_of_a_decision_reach_its_clauses_without_a_subject(empty_directory):
    text = (
        "会议明确,全年新增城镇就业1.2万人;城镇调查失业率控制在5.5%以内。"
        "(牵头单位:县人社局,配合单位:县发改局)\n"
        "会议强调,一是要加快农村公路建设;二是要推进水库除险加固。(牵头单位:县水利局)"
    )
    assert _linked(text, empty_directory) == [
        [("县人社局", LEAD), ("县发改局", SUPPORT)],
        [("县人社局", LEAD), ("县发改局", SUPPORT)],
        [],
        [("县水利局", LEAD)],
    ]


def test_a_unit_whose_name_opens_like_a_verb_keeps_its_whole_name(empty_directory):
    assert names("市政府研究室负责起草年度工作报告", empty_directory) == ["市政府研究室"]
    assert names("县发改委研究中心和县统计局要做好运行分析", empty_directory) == [
        "县发改委研究中心",
        "县统计局",
    ]
    assert names("县发改局研究制定扶持办法", empty_directory) == ["县发改局"]
    assert names("市应急局建立联合指挥部", empty_directory) == ["市应急局"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各级财政部门要加大对义务教育的投入", "相关部门"),
        ("各地教育部门要落实“双减”要求", "相关部门"),
        ("全市各级公安机关要严厉打击电信诈骗", "相关部门"),
        ("市县两级财政和人社部门要保障资金", "相关部门"),
        ("各级党政机关要带头过紧日子", "各级各部门"),
    ],
)
def test_one_kind_of_department_at_every_level_is_a_group(text, expected, empty_directory):
    (ref,) = refs(text, empty_directory)
    assert (ref.name, ref.is_group) == (expected, True)


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("各县(市、区)财政部门要加强资金监管", "各县(市、区)财政部门"),
        ("各区教育局要做好秋季招生工作", "各区教育局"),
        ("各县区公安机关要严厉打击电信诈骗", "各县区公安机关"),
        ("各乡镇(街道)财政所要做好补贴发放", "各乡镇(街道)财政所"),
        ("各乡镇(街道)应急办要加强值班值守", "各乡镇(街道)应急办"),
        ("各县(市、区)森林防灭火指挥部要层层压实责任", "各县(市、区)森林防灭火指挥部"),
        ("各县(市、区)防汛抗旱指挥部办公室要加强值班", "各县(市、区)防汛抗旱指挥部办公室"),
        ("各区创文领导小组办公室要加强统筹", "各区创文领导小组办公室"),
    ],
)
def test_one_kind_of_department_in_each_place_is_one_group(text, mention, empty_directory):
    found = refs(text, empty_directory)
    assert [(r.mention, r.name, r.is_group) for r in found] == [(mention, "相关部门", True)]


def test_two_kinds_of_department_in_each_place_are_two_groups(empty_directory):
    found = refs("各区住建部门、各区城管局要加强在建工地巡查", empty_directory)
    assert [r.mention for r in found] == ["各区住建部门", "各区城管局"]


def test_places_and_their_government_stay_the_places_group(empty_directory):
    found = refs("各县(市、区)人民政府要落实属地责任", empty_directory)
    assert [(r.mention, r.name) for r in found] == [("各县(市、区)人民政府", "乡镇(街道)")]


def test_owner_labels_after_a_decision_do_not_reach_back_past_another_subject(empty_directory):
    text = (
        "会议强调,各部门要压实责任;要提升办事效率。市商务局要举办消费季活动;要发放消费券。"
        "(牵头单位:市商务局,配合单位:市财政局)"
    )
    assert _linked(text, empty_directory) == [
        [("各部门", LEAD)],
        [("各部门", LEAD)],
        [("市商务局", LEAD), ("市财政局", SUPPORT)],
        [("市商务局", LEAD), ("市财政局", SUPPORT)],
    ]


def test_the_owner_bracket_of_a_topic_heading_gives_the_owners_of_its_items_without_a_subject(
    empty_directory,
):
    text = (
        "一、关于秋冬季大气污染防治(牵头单位:区生态环境分局,配合单位:区住建局)\n"
        "会议要求,要严格落实扬尘管控;区城管局要加强渣土车整治。\n"
        "二、水源地保护(区水务局牵头)\n"
        "要完成取水口隔离防护设施建设。\n"
        "三、关于校园安全\n"
        "要加强校园周边巡逻。\n"
    )
    assert [d.text for d in extract_prose(text) if d.is_item] == [
        "要严格落实扬尘管控",
        "区城管局要加强渣土车整治",
        "要完成取水口隔离防护设施建设",
        "要加强校园周边巡逻",
    ]
    assert _linked(text, empty_directory) == [
        [("区生态环境分局", LEAD), ("区住建局", SUPPORT)],
        [("区城管局", LEAD)],
        [("区水务局", LEAD)],
        [],
    ]


def test_an_owner_label_written_with_wei_names_the_owners_where_a_clause_starts(empty_directory):
    text = "加快推进农村危房改造。牵头单位为县住建局,配合单位为县财政局、各乡镇"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("县住建局", LEAD),
        ("县财政局", SUPPORT),
        ("各乡镇", SUPPORT),
    ]
    assert [r.name for r in refs("各责任单位为企业纾困解难", empty_directory)] == ["相关部门"]


def test_a_clause_whose_shared_labels_name_only_support_keeps_the_subject_it_inherits(empty_directory):
    text = "会议要求,县文旅局要办好桃花节;要做好游客疏导和交通保障。(配合单位:县公安局、县交通运输局)"
    assert _linked(text, empty_directory) == [
        [("县文旅局", LEAD)],
        [("县文旅局", LEAD), ("县公安局", SUPPORT), ("县交通运输局", SUPPORT)],
    ]


def test_owner_labels_after_a_decision_of_several_paragraphs_reach_all_of_them(empty_directory):
    text = (
        "二、关于城区停车设施建设\n"
        "会议要求,县住建局要加快公共停车场建设,年内新增泊位1500个。\n"
        "要同步推进停车诱导系统建设。\n"
        "(牵头单位:县住建局;配合单位:县公安局交警大队;完成时限:2024年12月31日)\n"
    )
    assert _linked(text, empty_directory) == [
        [("县住建局", LEAD), ("县公安局交警大队", SUPPORT)],
        [("县住建局", LEAD), ("县公安局交警大队", SUPPORT)],
    ]


def test_a_clause_without_a_subject_that_names_a_department_to_work_with_keeps_the_lead_it_inherits(
    empty_directory,
):
    text = "会议要求,区卫健局要做好秋冬季传染病防控;要会同区教育局加强学校晨午检。"
    assert _linked(text, empty_directory) == [
        [("区卫健局", LEAD)],
        [("区卫健局", LEAD), ("区教育局", SUPPORT)],
    ]


def test_a_party_department_whose_name_reads_like_a_verb_is_not_cut_before_it(empty_directory):
    assert names("县委组织部研究制定干部考核办法", empty_directory) == ["县委组织部"]
    assert names("市委宣传部组织开展主题宣传活动", empty_directory) == ["市委宣传部"]


@pytest.mark.parametrize(
    "text",
    [
        "市城投集团要加快推进安置房建设",
        "城投公司负责项目融资",
        "由市交发集团负责实施",
        "各乡镇(街道)卫生院要做好疫苗接种",
        "市教育局直属学校要做好开学准备",
    ],
)
def test_a_company_school_or_hospital_named_like_a_department_is_no_department(text):
    directory = Directory(load_bundled_directory())
    assert refs(text, directory) == ()
    assert refs(text, Directory(())) == ()


def test_a_directory_entry_of_a_state_owned_company_is_never_linked():
    directory = Directory([DirectoryEntry("城投", aliases=("城投集团", "市城投集团"), kind="soe")])
    assert refs("市城投集团要加快推进安置房建设", directory) == ()
    assert refs("(牵头单位:城投;配合单位:市财政局)", directory)[0].mention == "市财政局"


def test_the_supervisor_of_state_owned_companies_is_a_department():
    directory = Directory(load_bundled_directory())
    found = refs("市国资委要督促市城投集团加快整合重组", directory)
    assert [(r.mention, r.name) for r in found] == [("市国资委", "国资办")]


def test_a_subject_right_after_an_owner_bracket_inside_a_sentence_is_a_subject(empty_directory):
    text = "县商务局要举办消费季活动,(责任单位:县商务局)县财政局要安排专项资金"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("县商务局", LEAD),
        ("县财政局", LEAD),
    ]
    assert [r.mention for r in refs("加快科创中心(三期)建设", empty_directory)] == []


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("区城市管理局(区综合行政执法局)要加强渣土车扬尘管控", "区城市管理局"),
        ("区行政审批局(区数据局)要牵头推进“高效办成一件事”", "区行政审批局"),
        ("市发改委(市粮食局)要做好粮食收购工作", "市发改委"),
    ],
)
def test_a_department_with_its_other_name_in_brackets_is_one_department_named_by_the_first(
    text, mention, empty_directory
):
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [(mention, LEAD)]


def test_the_other_name_in_brackets_links_when_only_it_is_in_the_directory():
    directory = Directory([DirectoryEntry("区综合行政执法局", aliases=("区综合执法局",))])
    found = refs("区城市管理局(区综合行政执法局)要加强渣土车扬尘管控", directory)
    assert [(r.mention, r.name) for r in found] == [("区城市管理局", "区综合行政执法局")]


def test_a_department_with_its_other_name_in_brackets_in_an_owner_label(empty_directory):
    text = "加强渣土车扬尘管控。(牵头单位:区城市管理局(区综合行政执法局);配合单位:区公安分局)"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("区城市管理局", LEAD),
        ("区公安分局", SUPPORT),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1.县农业农村局为主办单位,县财政局、县自然资源局为协办单位,6月底前完成高标准农田建设项目招标",
        "由县农业农村局作为牵头单位,县财政局、县自然资源局作为配合单位,6月底前完成项目招标",
    ],
)
def test_departments_named_as_the_lead_or_support_unit_take_that_role(text, empty_directory):
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("县农业农村局", LEAD),
        ("县财政局", SUPPORT),
        ("县自然资源局", SUPPORT),
    ]


def test_serving_as_something_else_names_no_role(empty_directory):
    assert refs("要把县财政局作为试点单位的经验推广开来", empty_directory) == ()


def test_a_kind_of_department_in_each_place_and_the_places_are_two_groups(empty_directory):
    text = "各县(市、区)森林防灭火指挥部要层层压实责任,各乡镇(街道)要组织开展野外火源专项治理"
    assert [(r.mention, r.name) for r in refs(text, empty_directory)] == [
        ("各县(市、区)森林防灭火指挥部", "相关部门"),
        ("各乡镇(街道)", "乡镇(街道)"),
    ]


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("经开区管委会要做好园区企业防汛安全工作", "经开区管委会"),
        ("和平区教育局要做好招生工作", "和平区教育局"),
        ("即墨区教育体育局要做好秋季招生工作", "即墨区教育体育局"),
    ],
)
def test_a_name_opening_with_a_word_like_a_preposition_is_still_a_name(text, mention, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == [mention]


@pytest.mark.parametrize("text", ["对企业服务中心进行考核", "向县政府汇报工作进展", "对市住建局要加强考核"])
def test_a_preposition_before_a_department_is_no_part_of_a_name(text, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == []


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("县总工会、团县委、县妇联要组织开展关爱活动", ["县总工会", "团县委", "县妇联"]),
        ("县残联要做好残疾人就业帮扶", ["县残联"]),
        ("县科协、县工商联要加强民营企业科技服务", ["县科协", "县工商联"]),
        ("县红十字会要做好应急救护培训", ["县红十字会"]),
        ("县商务局、县供销社要加快农村电商服务站点建设", ["县商务局", "县供销社"]),
        ("县法院、县检察院要依法办理涉企案件", ["县法院", "县检察院"]),
    ],
)
def test_peoples_organisations_and_judicial_organs_are_departments(text, mentions, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == mentions


def test_a_cooperative_of_farmers_is_no_department(empty_directory):
    assert refs("各农民专业合作社要规范财务管理", empty_directory) == ()


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        (
            "1.加快推进污水处理厂提标改造,9月底前完成主体工程。(县住建局、县生态环境分局)",
            ["县住建局", "县生态环境分局"],
        ),
        ("3.完成国道改线工程征地拆迁。(县交通运输局,城关镇、青石镇)", ["县交通运输局", "城关镇", "青石镇"]),
        ("4.新增城镇就业岗位3000个(县人力资源和社会保障局)", ["县人力资源和社会保障局"]),
    ],
)
def test_a_bracket_of_department_names_ending_a_task_names_its_owners(text, mentions, empty_directory):
    found = refs(text, empty_directory)
    assert [r.mention for r in found] == mentions
    assert all(r.role == LEAD for r in found)


@pytest.mark.parametrize(
    "text",
    [
        "加快科创中心(三期)建设",
        "开发区(工业园区)要以创建国家级开发区为目标",
        "实施城市更新行动(2024—2026年)",
        "加快推进市民服务中心建设(市行政服务中心)要如期完成",
    ],
)
def test_a_bracket_that_is_not_a_tasks_last_words_or_holds_other_words_names_no_owner(text, empty_directory):
    assert "市行政服务中心" not in [r.mention for r in refs(text, empty_directory)]
    assert "三期" not in [r.mention for r in refs(text, empty_directory)]


@pytest.mark.parametrize(
    "text",
    [
        "5.推进医保提标扩面。责任单位:县医疗保障局 县财政局",
        "5.推进医保提标扩面。责任单位:县医疗保障局县财政局",
    ],
)
def test_owner_names_set_apart_by_a_space_or_run_together_are_two_names(text, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == ["县医疗保障局", "县财政局"]


def test_a_unit_of_a_department_in_an_owner_field_stays_one_name(empty_directory):
    assert [r.mention for r in refs("责任单位:市公安局交警支队", empty_directory)] == ["市公安局交警支队"]


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("各乡镇政府是农村人居环境整治的责任主体,县农业农村局负责统筹协调", ["各乡镇政府", "县农业农村局"]),
        ("县住建局是城镇燃气安全的牵头单位", ["县住建局"]),
    ],
)
def test_a_department_said_to_be_the_responsible_party_is_an_owner(text, mentions, empty_directory):
    found = refs(text, empty_directory)
    assert [r.mention for r in found] == mentions
    assert all(r.role == LEAD for r in found)


def test_a_department_said_to_be_something_else_is_no_owner(empty_directory):
    assert refs("县住建局是全省先进单位", empty_directory) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("相关乡镇(街道)和部门要做好配合", ["乡镇(街道)", "相关部门"]),
        ("各乡镇(街道)和单位要严格落实值班制度", ["乡镇(街道)", "各级各部门"]),
    ],
)
def test_a_bare_department_word_in_a_list_takes_the_lists_qualifier(text, expected, empty_directory):
    assert [r.name for r in refs(text, empty_directory)] == expected


def test_a_company_the_directory_knows_as_subject_stops_inheritance():
    directory = Directory(
        [DirectoryEntry("城投", aliases=("城投公司",), kind="soe"), DirectoryEntry("市住建局")]
    )
    text = "会议要求,市住建局要加快老旧小区改造;城投要加快片区开发项目融资。"
    directives = [d for d in extract_prose(text) if d.is_item]
    assert [[r.mention for r in deps] for deps in link(directives, directory)] == [["市住建局"], []]


@pytest.mark.parametrize(
    "text",
    [
        "1.完成市属国企战略性重组。(主办:市国资委;协办:市财政局、市人力社保局)",
        "1.完成市属国企战略性重组。(牵头:市国资委;参与:市财政局、市人力社保局)",
        "1.完成市属国企战略性重组。(责任单位:市国资委,配合:市财政局、市人力社保局)",
    ],
)
def test_owner_labels_without_the_word_unit_name_the_owners(text, empty_directory):
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [
        ("市国资委", LEAD),
        ("市财政局", SUPPORT),
        ("市人力社保局", SUPPORT),
    ]


def test_a_role_word_and_colon_inside_a_sentence_is_no_label(empty_directory):
    assert refs("会议要求全市上下广泛参与:一是加强宣传", empty_directory)[0].name == "各级各部门"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("该事项交市财政局研究办理", ["市财政局"]),
        ("授权县发改局统筹安排专项资金", ["县发改局"]),
        ("委托县审计局开展专项审计", ["县审计局"]),
        ("要求县教育局于8月底前完成校舍排查", ["县教育局"]),
        ("同意县交通运输局提出的实施方案", []),
    ],
)
def test_a_department_handed_the_work_is_its_owner_and_the_handing_word_no_part_of_its_name(
    text, expected, empty_directory
):
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [(m, LEAD) for m in expected]


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("国网县供电公司、县住建局要做好迎峰度夏保障", ["县住建局"]),
        ("县住建局、县供电公司要做好迎峰度夏保障", ["县住建局"]),
        ("县住建局、县城投集团和县交通运输局要加快推进", ["县住建局", "县交通运输局"]),
    ],
)
def test_a_company_in_a_list_of_subjects_is_left_out_and_the_departments_kept(
    text, mentions, empty_directory
):
    assert [r.mention for r in refs(text, empty_directory)] == mentions


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("会议要求县教体局修改完善扩容方案后报县政府审定", "县教体局"),
        ("要求县住建局修改完善后以县政府办公室名义印发", "县住建局"),
        ("县粮食和物资储备局修改完善后提交县委常委会审定", "县粮食和物资储备局"),
    ],
)
def test_a_department_revising_a_plan_ends_before_the_body_it_reports_to(text, mention, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == [mention]


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("会议要求城关镇修改完善安置方案", "城关镇"),
        ("会议原则同意该方案,要求城关镇修改完善后实施", "城关镇"),
        ("会议原则同意该办法,要求住建部门抓紧修改完善", "住建部门"),
    ],
)
def test_the_department_the_meeting_asks_to_act_leads(text, mention, empty_directory):
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [(mention, LEAD)]


@pytest.mark.parametrize("text", ["会议要求严格落实属地责任", "会议原则同意该方案,要求加快推进中心城区改造"])
def test_what_the_meeting_asks_for_is_no_department(text, empty_directory):
    assert refs(text, empty_directory) == ()


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("向阳街道要在春节前完成老旧小区安置房交付", ["向阳街道"]),
        ("在城镇要抓紧做好河道清淤工作", ["在城镇"]),
        ("会议要求向阳街道、对山镇抓紧推进征迁扫尾", ["向阳街道", "对山镇"]),
        ("在城镇、向阳乡要做好林地保护", ["在城镇", "向阳乡"]),
        ("县住建局、向阳街道要加快老旧小区改造", ["县住建局", "向阳街道"]),
    ],
)
def test_a_township_whose_name_opens_like_a_preposition_is_a_name(text, mentions, empty_directory):
    assert [r.mention for r in refs(text, empty_directory)] == mentions


@pytest.mark.parametrize(
    "text",
    [
        "对重点乡镇要加强指导",
        "在城乡要统筹推进",
        "在全镇要开展排查",
        "向社会公开征求意见",
        "在城区要加强巡查",
    ],
)
def test_a_preposition_before_a_place_is_no_township(text, empty_directory):
    assert refs(text, empty_directory) == ()


def test_a_bracket_naming_who_oversees_the_task_names_its_lead(empty_directory):
    text = "县热力公司要在11月1日前完成供热管网注水试压。(县住建局负责督导)"
    assert [(r.mention, r.role) for r in refs(text, empty_directory)] == [("县住建局", LEAD)]


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("各社区要配合做好宣传发动", ["各社区"]),
        ("村(社区)要发动群众参与", ["村(社区)"]),
        ("各村(社区)要落实网格员巡查制度", ["各村(社区)"]),
        ("街道城管科要加强日常巡查,街道财政所要保障整治经费", ["街道城管科", "街道财政所"]),
        ("镇农技站要做好技术指导", ["镇农技站"]),
    ],
)
def test_units_below_a_township_that_must_act_are_named_by_their_mention(text, mentions, empty_directory):
    found = refs(text, empty_directory)
    assert [(r.mention, r.name) for r in found] == [(m, None) for m in mentions]


@pytest.mark.parametrize(
    "text",
    ["加强社区网格化管理", "推动各村(社区)集体经济发展", "各社区的卫生死角要清理干净"],
)
def test_a_community_or_village_that_is_no_subject_names_nobody(text, empty_directory):
    assert refs(text, empty_directory) == ()


def test_a_task_that_opens_with_building_in_a_township_names_no_township(empty_directory):
    assert names("建成乡镇污水处理设施5座", empty_directory) == []


def test_a_manner_word_or_a_project_town_names_no_department(empty_directory):
    assert names("市政务服务中心牵头,市发改局配合,年内认真组织越剧小镇要素保障", empty_directory) == [
        "市政务服务中心",
        "市发改局",
    ]
    assert names("越剧小镇要加快项目建设,年内完成投资5亿元", empty_directory) == []


def test_a_time_word_before_the_subject_is_no_part_of_its_name(empty_directory):
    assert names("年内各乡镇要完成改造", empty_directory) == ["乡镇(街道)"]
    assert names("下半年市住建局要完成验收", empty_directory) == ["市住建局"]
