"""Finding directives inside a meeting: what is an item, where it starts and ends."""

import pytest

from importer.extract import extract, extract_prose, extract_tasks, has_modal


def items(text: str) -> list[str]:
    return [d.text for d in extract_prose(text) if d.is_item]


def test_each_directive_sentence_after_a_requirement_is_one_item():
    text = "会议要求,全市上下要认清形势。目标定位要更高,指标要确保增长;工作推进要更扎实。"
    assert items(text) == ["全市上下要认清形势", "目标定位要更高,指标要确保增长", "工作推进要更扎实"]


def test_commas_do_not_split_but_semicolons_and_enumerations_do():
    text = "会议要求:一是严格按照合同约定,确保年底前全部关停;二是铁腕整治非法砂场;三是建立健全长效机制。"
    assert items(text) == [
        "一是严格按照合同约定,确保年底前全部关停",
        "二是铁腕整治非法砂场",
        "三是建立健全长效机制",
    ]


def test_what_the_meeting_reviewed_heard_or_thought_is_not_an_item():
    text = (
        "会议审议了关于要求审议《实施办法》的请示。会议听取了城中村改造情况的汇报。"
        "会议认为,设立驿站有利于加大人才引进力度,要充分认识其意义。会议通报了全市招商选资工作情况。"
    )
    assert items(text) == []


def test_a_requirement_governs_clauses_without_a_directive_word():
    text = "会议要求,围绕三大产业组建产业创新服务综合体;突出政府服务功能,加快平台建设。"
    assert items(text) == ["围绕三大产业组建产业创新服务综合体", "突出政府服务功能,加快平台建设"]


def test_points_made_need_a_directive_word_to_be_items():
    text = "会议指出,新的管理办法监管要求提高,有利于帮助真正需要转贷的企业。会议指出,安全生产是头等大事,全市上下要抓牢抓实。"
    assert items(text) == ["安全生产是头等大事,全市上下要抓牢抓实"]


def test_a_forecast_with_jiang_is_background_but_jiang_opening_a_clause_is_a_directive():
    text = "会议强调,要迅速落实各项任务。2017年是大发展之年,全年用地规模将超过1万亩。8月11日,督察组就将进驻。将对全市12个行业开展整治提升。"
    assert items(text) == ["要迅速落实各项任务", "将对全市12个行业开展整治提升"]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("各部门要加强监管", True),
        ("办学场所须是合法建筑", True),
        ("应建立健全应急机制", True),
        ("确保年底前完成", True),
        ("力争7家", True),
        ("目标总任务是:实施土地开发13340亩", True),
        ("请县住建局修改完善", True),
        ("监管要求提高", False),
        ("真正需要转贷的企业", False),
        ("理应更有底气", False),
        ("做好应急预案", False),
        ("是重要的民生工程", False),
        ("坚定“只能成功不许失败”的决心", False),
        ("会议审议了《关于要求落实的意见》", False),
        ("近年来,工作取得明显成效,但也要清醒看到存在的短板和不足", False),
        ("要充分认识到当前形势的严峻性", False),
        ("要看到成绩", False),
        ("要清醒认识形势,切实抓好防汛", True),
        ("各地要认识到位、行动到位", True),
    ],
)
def test_directive_words_and_their_look_alikes(clause, expected):
    assert has_modal(clause) is expected


def test_the_lead_words_are_not_part_of_the_item():
    text = "2月23日,市政府创卫部署会议强调,全市上下要认清形势,确保打赢创卫攻坚战。"
    assert items(text) == ["全市上下要认清形势,确保打赢创卫攻坚战"]


def test_a_chairs_words_count_like_the_meetings():
    text = "吴海涛强调,各地各部门要克服麻痹思想。吴海涛要求,市应急管理局统筹做好物资准备。"
    assert items(text) == ["各地各部门要克服麻痹思想", "市应急管理局统筹做好物资准备"]


def test_spans_reproduce_item_text():
    text = "【第3次常务会议】 4月26日,市政府召开第三次常务会议。会议要求,各乡镇(街道)要落实主体责任;相关部门要相互配合。"
    found = extract(text, body_start=text.index("】") + 1)
    assert found
    for d in found:
        assert text[d.span[0] : d.span[1]] == d.text


def test_brackets_of_owners_do_not_split_and_stay_with_their_numbered_decision():
    text = (
        "会议就有关具体事项明确如下:\n"
        "1.由县住建局牵头,在6月底前完成选址工作。(责任单位:县住建局;完成时限:2022年6月30日)\n"
        "2.县财政局要统筹安排资金。\n"
    )
    assert items(text) == [
        "1.由县住建局牵头,在6月底前完成选址工作。(责任单位:县住建局;完成时限:2022年6月30日)",
        "2.县财政局要统筹安排资金",
    ]


def test_a_list_announced_by_agreed_items_is_governed_without_directive_words():
    text = "现将会议议定事项纪要如下:\n(一)市住建局抓紧完成项目清单确认。\n(二)市财政局落实改造资金。\n会议期间还观看了专题片。\n"
    assert items(text) == ["(一)市住建局抓紧完成项目清单确认", "(二)市财政局落实改造资金"]


def test_topic_headings_of_minutes_are_not_items_and_start_a_new_passage():
    text = (
        "一、关于停车设施建设\n会议要求,县住建局要加快选址。\n二、关于农村供水\n会议要求,要加强水源地保护。\n"
    )
    found = [d for d in extract_prose(text) if d.is_item]
    assert [d.text for d in found] == ["县住建局要加快选址", "要加强水源地保护"]
    assert found[0].passage != found[1].passage


@pytest.mark.parametrize("marks", [("(一)", "(二)"), ("一、", "二、"), ("1.", "2.")])
def test_the_numbered_points_of_one_requirement_list_are_one_passage(marks):
    text = f"会议要求:\n{marks[0]}各级各部门要勇于担当。\n{marks[1]}要提升办事效率。\n"
    found = [d for d in extract_prose(text) if d.is_item]
    assert len(found) == 2
    assert found[0].passage == found[1].passage


def test_arrangements_made_after_a_report_are_items():
    text = (
        "会议听取了全市重点项目推进情况汇报,对下一步工作作出安排:市发改委要加强统筹调度,确保全年完成投资目标;"
        "市自然资源局要加快用地报批。"
    )
    assert items(text) == ["市发改委要加强统筹调度,确保全年完成投资目标", "市自然资源局要加快用地报批"]


def test_a_requirement_chained_after_a_deployment_is_a_lead_word_not_part_of_the_item():
    text = (
        "会议就做好高考服务保障工作作出部署,要求市教育局会同市公安局做好考点安保工作,市卫健委做好医疗保障。"
    )
    assert items(text) == ["市教育局会同市公安局做好考点安保工作,市卫健委做好医疗保障"]


def test_a_sentence_that_ends_with_the_meetings_verb_is_no_item():
    text = "会议对防汛工作进行了再安排再部署。会议要求各地各部门要全力以赴做好防汛工作。"
    assert items(text) == ["各地各部门要全力以赴做好防汛工作"]


def test_a_topic_heading_numbered_with_digits_is_no_item():
    text = (
        "现将会议议定事项纪要如下:\n1.关于中小学学位扩容问题\n区教育局要抓紧启动新建学校前期工作。\n"
        "2、关于社区卫生服务中心建设\n区卫健局要加快推进标准化建设。\n"
    )
    found = [d for d in extract_prose(text) if d.is_item]
    assert [d.text for d in found] == ["区教育局要抓紧启动新建学校前期工作", "区卫健局要加快推进标准化建设"]
    assert found[0].passage != found[1].passage


def test_each_decision_numbered_on_its_own_line_is_a_passage_of_its_own():
    text = (
        "现将会议议定事项通知如下:\n"
        "(一)抓好项目建设。市发展改革委负责牵头抓总。\n"
        "(二)改善生态环境。地表水国考断面优良比例保持100%。\n"
        "三、深化改革。市数据局牵头,6月底前实现高频事项一次办。\n"
        "四、优化营商环境。要持续压减审批时间。\n"
    )
    found = [d for d in extract_prose(text) if d.is_item]
    passages = {d.text.split("。")[0]: d.passage for d in found}
    assert len(set(passages.values())) == 4


def test_a_topic_closed_by_a_full_stop_on_the_line_of_its_decision_is_no_item():
    text = (
        "会议议定事项纪要如下:\n"
        "三、市自然资源和规划局负责完善城市更新规划编制。\n"
        "(四)关于农贸市场改造。今年改造农贸市场10个。\n"
        "五、关于背街小巷整治。会议明确,由市城管局牵头,年内完成背街小巷整治50条。\n"
    )
    found = [d for d in extract_prose(text) if d.is_item]
    assert [d.text for d in found] == [
        "三、市自然资源和规划局负责完善城市更新规划编制",
        "今年改造农贸市场10个",
        "由市城管局牵头,年内完成背街小巷整治50条",
    ]
    assert found[0].passage != found[1].passage


def test_lead_in_of_an_enumeration_is_kept_as_context_not_as_item():
    text = "会议要求,各部门要做好以下工作:一是加强领导;二是压实责任。"
    found = extract_prose(text)
    assert [(d.text, d.is_item) for d in found] == [
        ("各部门要做好以下工作", False),
        ("一是加强领导", True),
        ("二是压实责任", True),
    ]


def test_attendance_and_copy_lines_end_the_body():
    text = "会议要求,县水利局要加快推进。\n出席:郑明辉、王志强\n抄送:县委办要存档。\n"
    assert items(text) == ["县水利局要加快推进"]


def test_tasks_are_one_item_each_with_their_owner_lines():
    text = (
        "2024年任务清单\n(一)城中村改造\n1.完成城中村改造项目12个。\n牵头单位:市住建局\n完成时限:2024年12月底\n\n"
        "2.启动安置房建设。(市住建局牵头,市财政局配合)\n"
    )
    found = extract_tasks(text)
    tasks = [d.text for d in found if d.is_item]
    assert tasks == [
        "1.完成城中村改造项目12个。\n牵头单位:市住建局\n完成时限:2024年12月底",
        "2.启动安置房建设。(市住建局牵头,市财政局配合)",
    ]
    assert [d.text for d in found if not d.is_item] == ["(一)城中村改造"]


def test_unclosed_bracket_does_not_swallow_the_text():
    text = "会议要求,各部门要加强(管理" + "很" * 500 + "。相关部门要跟进。"
    assert items(text)[-1] == "相关部门要跟进"


def test_emphasis_after_what_the_meeting_studied_is_a_directive_but_a_summary_is_not():
    text = "会议研究了《城区交通治堵方案》,强调要坚持系统治理。会议总结了2020年政府工作,部署2021年重点任务。"
    assert items(text) == ["要坚持系统治理"]


def test_a_list_announced_by_a_chairs_requirements_is_governed():
    text = "王强对下一步工作提出三点要求:\n一是提高站位。\n二是压实责任。\n"
    assert items(text) == ["一是提高站位", "二是压实责任"]


def test_agreed_decisions_after_a_bare_yiding_line_are_items():
    text = "会议议定:\n1、由市公安局牵头,6月底前完成路口渠化改造。\n2、市财政局安排专项资金500万元。\n"
    assert items(text) == ["1、由市公安局牵头,6月底前完成路口渠化改造", "2、市财政局安排专项资金500万元"]


def test_points_made_after_hearing_a_report_count():
    text = "会议听取了关于城市有机更新的汇报并指出,要坚持规划引领,市自然资源和规划局要在8月底前完成控规修编。"
    assert items(text) == ["要坚持规划引领,市自然资源和规划局要在8月底前完成控规修编"]


def test_a_meeting_named_as_the_object_of_a_report_does_not_speak():
    text = "会议议定:\n(一)区财政局牵头,研究制定资金平衡方案,一季度报区政府常务会议审议。\n(二)资金由区财政局统筹安排,按月拨付。\n"
    assert items(text) == [
        "(一)区财政局牵头,研究制定资金平衡方案,一季度报区政府常务会议审议",
        "(二)资金由区财政局统筹安排,按月拨付",
    ]


def test_a_cue_word_used_as_a_noun_does_not_cut_the_directive():
    text = "三、请区住建局于1月20日前将会议议定事项分解落实到具体责任人。"
    assert items(text) == ["三、请区住建局于1月20日前将会议议定事项分解落实到具体责任人"]


def test_a_numbered_agreed_line_leads_a_list_and_is_no_topic():
    text = "二、会议议定:\n(一)东湖街道要加快签约。\n(二)征迁资金由区财政局统筹安排。\n"
    assert items(text) == ["(一)东湖街道要加快签约", "(二)征迁资金由区财政局统筹安排"]


def test_people_in_charge_attending_are_no_directive():
    text = "会议指出,要加快建设。县发改局、县财政局主要负责人参加会议。区住建局等单位负责同志参加会议。"
    assert items(text) == ["要加快建设"]


def test_labelled_attendance_lines_end_the_body():
    text = "会议要求,区住建局要加快推进。\n参加人员:钱伟、区住建局负责人\n列席单位:区财政局\n"
    assert items(text) == ["区住建局要加快推进"]


def test_a_department_named_as_the_doer_makes_a_directive():
    text = "会议原则同意扩建方案。扩建所需资金由县财政局在2024年预算中统筹安排。区消防救援大队协助做好消防安全培训。"
    assert items(text) == [
        "扩建所需资金由县财政局在2024年预算中统筹安排",
        "区消防救援大队协助做好消防安全培训",
    ]


def test_the_reporters_background_is_not_the_meetings_words():
    text = "郑凯强调,各镇(街道)要落实属地管理责任。据悉,下一步全区将开展为期两个月的安全生产大检查。"
    assert items(text) == ["各镇(街道)要落实属地管理责任"]


def test_every_labelled_field_line_stays_with_its_task():
    text = (
        "重点任务清单\n(一)加快推进自来水厂建设。\n责任领导:李明\n责任单位:县住建局(牵头)、城关镇\n时间节点:12月底前建成\n"
        "(二)实施农村公路提质改造工程。\n责任领导:王芳\n"
    )
    tasks = [d.text for d in extract_tasks(text) if d.is_item]
    assert tasks == [
        "(一)加快推进自来水厂建设。\n责任领导:李明\n责任单位:县住建局(牵头)、城关镇\n时间节点:12月底前建成",
        "(二)实施农村公路提质改造工程。\n责任领导:王芳",
    ]


def test_yi_yao_er_yao_enumerate_requirements_even_between_commas():
    text = "会议强调,一要压紧压实责任,各部门要严格落实责任制,二要深化隐患排查,三要加强宣传教育。"
    assert items(text) == ["一要压紧压实责任,各部门要严格落实责任制", "二要深化隐患排查", "三要加强宣传教育"]


def test_work_handed_on_after_a_review_is_a_directive_but_the_review_is_not():
    text = (
        "会议审议通过了《城市管理办法》,请市司法局按程序印发实施。"
        "会议审议并原则通过了《物业管理办法》,由市住建局负责解释。会议听取了县住建局关于老旧小区改造的汇报。"
    )
    assert items(text) == ["请市司法局按程序印发实施", "由市住建局负责解释"]


def test_a_bare_requirement_line_governs_the_numbered_lines_below_it():
    text = "会议要求\n\n1.各部门要认真落实实施意见。\n2.市商务局会同市文旅局打造夜间消费集聚区。\n"
    assert items(text) == ["1.各部门要认真落实实施意见", "2.市商务局会同市文旅局打造夜间消费集聚区"]


def test_a_noun_like_bushu_after_a_subject_is_no_chair_speaking():
    text = (
        "会议指出\n\n今年以来,全市上下认真落实市委市政府部署,生态环境质量持续改善,但部分区域问题仍然突出。\n"
    )
    assert items(text) == []


def test_a_numbered_decision_that_heard_a_report_still_gives_the_directive_after_it():
    text = "会议议定事项如下:\n\n4.会议听取了上半年经济运行情况汇报,要求市统计局加强数据监测分析,每月报送经济运行情况。\n"
    items = [d.text for d in extract_prose(text) if d.is_item]
    assert items == ["市统计局加强数据监测分析,每月报送经济运行情况"]


def test_each_numbered_decision_of_minutes_is_a_passage_of_its_own():
    text = (
        "会议议定事项如下:\n\n"
        "1.原则同意《城市更新三年行动方案》。请市住建局修改完善后印发实施。\n\n"
        "2.同意设立市级产业引导基金,首期规模10亿元。\n"
    )
    directives = [d for d in extract_prose(text) if d.is_item]
    assert [d.text[:2] for d in directives] == ["1.", "请市", "2."]
    assert directives[1].passage != directives[2].passage


def test_owner_and_time_limit_sentences_after_a_decision_stay_with_it_and_are_no_items():
    text = (
        "三、关于农村生活污水治理\n"
        "会议要求,各镇要加快管网接户改造,确保出水达标。责任单位:区生态环境分局、各镇。"
        "完成时限:2024年10月31日。\n"
        "四、关于政务服务\n"
        "会议明确,区行政审批局牵头推行“一件事一次办”改革。\n"
        "牵头单位:区行政审批局\n"
        "配合单位:区大数据中心\n"
        "时间节点:2024年9月底前\n"
    )
    assert items(text) == [
        "各镇要加快管网接户改造,确保出水达标。责任单位:区生态环境分局、各镇。完成时限:2024年10月31日",
        "区行政审批局牵头推行“一件事一次办”改革。\n牵头单位:区行政审批局\n配合单位:区大数据中心\n"
        "时间节点:2024年9月底前",
    ]


def test_an_owner_sentence_after_what_the_meeting_heard_is_no_item():
    text = "会议要求,各街道要做好防汛值守。会议听取了区水务局的工作汇报。牵头单位:区水务局。"
    assert items(text) == ["各街道要做好防汛值守"]


def test_an_owner_bracket_after_a_sentence_that_gave_no_item_is_left_alone():
    text = "会议要求,县交通局要加快农村公路建设。会议听取了县水利局的汇报。\n(牵头单位:县水利局)\n"
    assert items(text) == ["县交通局要加快农村公路建设"]


def test_the_items_of_a_decision_share_the_owner_labels_after_its_last_item():
    text = (
        "会议要求,区文旅局要办好灯会,全年接待游客500万人次;要提升景区服务。(牵头单位:区文旅局)\n"
        "一是要加强河道保洁;二是要推进截污纳管。(责任单位:区水务局)"
    )
    assert [(d.text[:6], d.labels) for d in extract_prose(text) if d.is_item] == [
        ("区文旅局要办", "(牵头单位:区文旅局)"),
        ("要提升景区服", "(牵头单位:区文旅局)"),
        ("一是要加强河", ""),
        ("二是要推进截", ""),
    ]


def test_a_decisions_heading_is_joined_to_the_sentence_after_it_on_its_line():
    text = (
        "现将会议议定事项纪要如下:\n"
        "一、稳住农业基本盘。全年粮食播种面积稳定在80万亩以上。\n"
        "二、抓好“菜篮子”保供。县商务局要建立蔬菜储备制度。\n"
        "三、县财政局拨付补贴。\n"
    )
    assert items(text) == [
        "一、稳住农业基本盘。全年粮食播种面积稳定在80万亩以上",
        "二、抓好“菜篮子”保供。县商务局要建立蔬菜储备制度",
        "三、县财政局拨付补贴",
    ]


def test_labels_set_in_square_brackets_after_a_decision_stay_with_it():
    text = "会议强调,各镇要做好防溺水宣传,暑期前完成警示牌设置。【责任单位】各镇【完成时限】2024年6月30日\n"
    assert items(text) == [
        "各镇要做好防溺水宣传,暑期前完成警示牌设置。【责任单位】各镇【完成时限】2024年6月30日"
    ]


def test_an_owner_bracket_that_opens_the_next_sentence_stays_with_the_decision_before_it():
    text = (
        "会议要求,县农业农村局要做好农资储备。(责任单位:县农业农村局;完成时限:4月底前)会议还研究了其他事项。"
    )
    assert items(text) == ["县农业农村局要做好农资储备。(责任单位:县农业农村局;完成时限:4月底前)"]


def test_an_owner_bracket_that_opens_the_next_unit_stays_with_the_unit_before_it():
    text = "会议要求,县水利局要完成水库排查;(责任单位:县水利局)各乡镇要落实巡查责任。"
    assert items(text) == ["县水利局要完成水库排查;(责任单位:县水利局)", "各乡镇要落实巡查责任"]
    text = (
        "会议要求,县水利局要完成水库排查;（牵头单位：县水利局，配合单位：县应急局）\n各乡镇要落实巡查责任。"
    )
    assert items(text)[1] == "各乡镇要落实巡查责任"


def test_a_bracket_of_other_words_after_a_semicolon_stays_with_the_unit_it_opens():
    text = "会议要求,县水利局要完成水库排查;(二期)工程要在汛前完工。"
    assert items(text) == ["县水利局要完成水库排查", "(二期)工程要在汛前完工"]


def test_a_heading_numbered_with_digits_is_joined_to_the_sentence_after_it():
    text = (
        "会议议定如下:\n"
        "1.稳住外贸基本盘。市商务局要帮助企业拓展新兴市场。\n"
        "(2)优化营商环境。年内企业开办时间压缩至1个工作日。\n"
    )
    assert items(text) == [
        "1.稳住外贸基本盘。市商务局要帮助企业拓展新兴市场",
        "(2)优化营商环境。年内企业开办时间压缩至1个工作日",
    ]


def test_an_owner_sentence_written_with_wei_stays_with_the_decision_before_it():
    text = "会议要求,各乡镇要全面排查农村危房。责任单位为县住建局、各乡镇,完成时限为2024年10月底。"
    assert items(text) == ["各乡镇要全面排查农村危房。责任单位为县住建局、各乡镇,完成时限为2024年10月底"]


def test_labels_after_a_comma_or_semicolon_are_shared_by_the_clauses_of_their_decision():
    text = (
        "会议明确,全年新建5G基站800个;年底前实现行政村全覆盖;牵头单位:县经信局,完成时限:2024年12月31日。\n"
        "会议要求,县文旅局要办好桃花节;要做好游客疏导,配合单位:县公安局。"
    )
    assert [(d.text, d.labels) for d in extract_prose(text) if d.is_item] == [
        ("全年新建5G基站800个", "牵头单位:县经信局,完成时限:2024年12月31日"),
        (
            "年底前实现行政村全覆盖;牵头单位:县经信局,完成时限:2024年12月31日",
            "牵头单位:县经信局,完成时限:2024年12月31日",
        ),
        ("县文旅局要办好桃花节", "配合单位:县公安局"),
        ("要做好游客疏导,配合单位:县公安局", "配合单位:县公安局"),
    ]


def test_a_statement_followed_by_owner_labels_is_an_item_even_without_a_directive_word():
    text = (
        "一、关于冬季供暖。会议要求,市城管局要督促供热企业按时供暖。\n"
        "二、关于“一老一小”服务。全年新增托位1000个,新建养老服务中心20个。\n"
        "牵头单位:市民政局、市卫健委\n"
        "三、关于全民健身。新建体育公园3个;责任单位:市体育局。\n"
        "四、关于城市防洪。会议听取了市水利局的汇报。责任单位:市水利局。\n"
    )
    assert items(text) == [
        "市城管局要督促供热企业按时供暖",
        "全年新增托位1000个,新建养老服务中心20个。\n牵头单位:市民政局、市卫健委",
        "新建体育公园3个;责任单位:市体育局",
    ]


def test_a_decisions_heading_on_a_line_of_its_own_is_joined_to_the_body_below_it():
    text = (
        "现将会议议定事项纪要如下:\n"
        "(一)稳住外贸基本盘。\n"
        "市商务局要帮助企业拓展新兴市场,全年进出口总额增长5%。\n"
        "(二)县交通局要抓紧完成选址。\n"
    )
    assert items(text) == [
        "(一)稳住外贸基本盘。\n市商务局要帮助企业拓展新兴市场,全年进出口总额增长5%",
        "(二)县交通局要抓紧完成选址",
    ]


def test_a_governed_list_goes_on_after_the_body_line_of_one_of_its_decisions():
    text = (
        "会议议定事项如下:\n"
        "(一)关于校园安全。\n"
        "区教育局要开展校园周边环境整治。\n"
        "(二)区财政局安排专项经费200万元。\n"
        "会议期间还观看了安全生产警示片。\n"
        "此次会议对推动工作具有重要意义。\n"
    )
    assert items(text) == ["区教育局要开展校园周边环境整治", "(二)区财政局安排专项经费200万元"]


def test_departments_that_help_in_the_manner_of_their_duties_make_an_item():
    text = "四、市生态环境局要加强水源地保护执法检查;市医疗保障局、市统计局按职责做好配合。"
    assert items(text) == ["四、市生态环境局要加强水源地保护执法检查", "市医疗保障局、市统计局按职责做好配合"]
    text = "会议强调,市住建局要加快改造;市财政局积极予以协助。"
    assert items(text)[1] == "市财政局积极予以协助"


def test_an_approval_that_commits_somebody_to_work_is_an_item_but_a_bare_approval_is_not():
    text = (
        "会议原则同意《城区老旧小区改造三年行动方案》。"
        "会议原则同意《城区排水防涝工作方案》,修改完善后印发实施。"
        "会议同意在城区新建公共停车场5处。"
        "会议同意市教育局提出的学位扩容方案,年底前建成投用。"
        "会议批准市交通局提出的公交线网优化方案,要求6月底前完成调整。"
        "会议同意将城区老旧供热管网改造纳入2024年市级重点项目。"
        "会议同意水厂项目采用EPC模式建设,项目总投资控制在3.2亿元以内。"
        "会议同意办法提交市委常委会审定。"
    )
    assert items(text) == [
        "会议原则同意《城区排水防涝工作方案》,修改完善后印发实施",
        "会议同意在城区新建公共停车场5处",
        "会议同意市教育局提出的学位扩容方案,年底前建成投用",
        "会议批准市交通局提出的公交线网优化方案,要求6月底前完成调整",
    ]


def test_jiyao_is_a_noun_not_the_directive_word_yao():
    text = "纪要如下:\n会议要求:\n①市水务局要在5月15日前完成泵站检修。\n②实施规划纲要确定的重点工程。"
    assert items(text) == ["①市水务局要在5月15日前完成泵站检修", "②实施规划纲要确定的重点工程"]
    assert not has_modal("纪要如下") and not has_modal("规划纲要")


def test_an_approval_followed_by_any_work_a_target_can_count_is_an_item():
    text = (
        "会议同意县自然资源局提出的土地收储计划,全年收储土地1200亩。"
        "会议同意市商务局提出的促消费方案,国庆期间发放消费券2000万元。"
        "会议同意县第二自来水厂项目采用EPC模式建设,项目总投资控制在3.2亿元以内。"
    )
    assert items(text) == [
        "会议同意县自然资源局提出的土地收储计划,全年收储土地1200亩",
        "会议同意市商务局提出的促消费方案,国庆期间发放消费券2000万元",
    ]


def test_a_bullet_before_a_directive_is_no_part_of_its_text():
    text = "会议要求:\n●市城管局要开展城市环境整治,5月底前完成。\n◆市住建局要加快保障性住房建设。\n▲要做好汛前检查。"
    assert items(text) == [
        "市城管局要开展城市环境整治,5月底前完成",
        "市住建局要加快保障性住房建设",
        "要做好汛前检查",
    ]


def test_bulleted_decisions_under_a_list_of_decisions_are_each_an_item_as_numbered_ones_are():
    text = (
        "会议议定事项如下:\n"
        "●抓好春耕备耕物资供应,确保不误农时\n"
        "●落实种粮补贴资金,4月底前拨付到位\n"
        "■开展安全生产隐患排查整治\n"
        "会议听取了县应急局的汇报。\n"
    )
    assert items(text) == [
        "抓好春耕备耕物资供应,确保不误农时",
        "落实种粮补贴资金,4月底前拨付到位",
        "开展安全生产隐患排查整治",
    ]


def test_an_approval_that_only_sets_when_it_takes_effect_is_no_item():
    text = (
        "会议批准市水务局提出的供水价格调整方案,自7月1日起执行。"
        "会议同意《停车收费管理办法》,从2024年9月1日起实施。"
        "会议同意市城管局提出的停车收费标准,7月1日起执行,市城管局要做好宣传解释。"
    )
    assert items(text) == ["会议同意市城管局提出的停车收费标准,7月1日起执行,市城管局要做好宣传解释"]


def test_copy_to_and_printing_lines_after_the_last_task_end_the_tasks():
    text = (
        "1.全年地区生产总值增长6%左右。牵头单位:市发改委;完成时限:年底前\n"
        "2.新建改造城市燃气管网20公里。牵头单位:市住建局;完成时限:6月底前\n"
        "抄送:市委办公室\n"
        "市人民政府办公室2024年2月20日印发\n"
    )
    tasks = [d.text for d in extract_tasks(text) if d.is_item]
    assert tasks[-1] == "2.新建改造城市燃气管网20公里。牵头单位:市住建局;完成时限:6月底前"
    assert len(tasks) == 2


def test_a_requirement_named_after_a_directive_word_is_no_speaker_cue():
    text = "会议议定:\n1.各乡镇、各部门要严格落实过紧日子要求,一般性支出压减10%以上。"
    assert items(text) == ["1.各乡镇、各部门要严格落实过紧日子要求,一般性支出压减10%以上"]


def test_a_notices_own_request_to_report_the_handling_back_is_no_item():
    title = "关于抓好县政府第8次常务会议议定事项落实的通知\n"
    text = (
        title + "各乡镇人民政府,县政府各部门:\n"
        "一、会议要求,各乡镇要在4月10日前完成林区野外火源排查。\n"
        "二、请各承办单位高度重视,认真抓好落实,于每月25日前将办理情况报送县政府督查室。\n"
    )
    assert [d.text for d in extract_prose(text, len(title)) if d.is_item] == [
        "各乡镇要在4月10日前完成林区野外火源排查"
    ]


def test_in_minutes_a_request_to_report_back_with_work_of_its_own_stays_an_item():
    title = "关于加快推进城中村改造项目的专题会议纪要\n"
    text = (
        title + "三、请区住建局于1月20日前将会议议定事项分解落实到具体责任人,并将落实情况报区政府办公室。\n"
    )
    assert len([d for d in extract_prose(text, len(title)) if d.is_item]) == 1


def test_a_numbered_heading_with_its_own_owner_lines_is_a_task_and_the_signature_is_none():
    text = (
        "现将会议议定事项及责任分工通知如下:\n"
        "一、加快建设公共停车场。\n责任单位:区住建局(牵头)、区自然资源局\n完成时限:2024年12月底\n"
        "二、推进机关单位停车场错时开放。\n责任单位:区机关事务中心\n完成时限:2024年9月底\n\n"
        "区人民政府办公室\n2024年5月15日\n"
    )
    tasks = [d.text for d in extract_tasks(text) if d.is_item]
    assert tasks == [
        "一、加快建设公共停车场。\n责任单位:区住建局(牵头)、区自然资源局\n完成时限:2024年12月底",
        "二、推进机关单位停车场错时开放。\n责任单位:区机关事务中心\n完成时限:2024年9月底",
    ]


def test_a_notices_own_sentence_passing_the_decisions_on_is_no_item():
    title = "关于抓好县政府第8次常务会议议定事项落实的督办通知\n"
    text = (
        title + "各乡镇人民政府,县政府各部门:\n"
        "3月18日,县政府第8次常务会议研究了春季农业生产等工作。现将会议议定事项通知如下,请认真抓好落实。\n"
        "一、会议要求,县农业农村局要抓好春耕备耕。\n"
    )
    assert [d.text for d in extract_prose(text, len(title)) if d.is_item] == ["县农业农村局要抓好春耕备耕"]
