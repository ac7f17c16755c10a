"""Link the departments a directive names to a directory of departments and groups.

The responsible party is the subject of a clause (市农办要…, 各乡镇(街道)、相关部门要…, 各乡镇政府是…
的责任主体), the department after 由 / 请 / 交 / 委托 / 下达到, or a labelled owner (牵头单位:…,
主办:…, 县农业农村局为主办单位, (市发改局牵头,市财政局配合), 责任单位:县住建局(牵头)、城关镇, a
bracket of names only that ends a task). Lead and support come from cue words: 牵头/负责 lead,
配合/协助/会同 support, and the department helped (县公安局协助县交通运输局) leads; 责任单位 named
beside a 牵头单位 support it, 责任单位 alone lead. People's organisations and courts (县总工会,
团县委, 县法院) count as departments. Organisations that are the object of the action
(加快科创中心(三期)建设, 培育…等企业) and companies (even the directory's 国有企业), schools and
hospitals anywhere are never owners (市城投集团, 各乡镇(街道)卫生院); a company in a list of
subjects is left out. A clause without a subject takes the subject of the directive before it in
the same passage, unless a company or school is its subject. Group words (各级各部门, 相关部门,
乡镇(街道) and their variants) are built in, so linking works with an empty directory; one kind of
department at every level or in each place (各级财政部门, 各县(市、区)财政部门, 各区教育局) is a
group of related departments, one for each such phrase. Unknown departments keep their mention and
no name; a list's prefix carries (区财政局、住建局 -> 区住建局); a second nameplate in brackets
(区城市管理局(区综合行政执法局)) is the same department.

Plain Python, no Django.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from importer.extract import bracket_close, label_start
from importer.quotes import mask_quotes
from importer.types import LEAD, SUPPORT, DepartmentRef, DirectoryEntry

ALL, RELATED, TOWNSHIPS = "all", "related", "townships"

# Built-in group words: canonical name first. Used when the directory has no entry of the group.
GROUP_WORDS: dict[str, tuple[str, ...]] = {
    ALL: (
        "各级各部门",
        "全市各级各部门",
        "全市上下",
        "各地各部门",
        "市政府系统",
        "全市政府系统",
        "政府系统",
        "各部门",
        "全市各部门",
        "市级各部门",
        "市直各部门",
        "各级各单位",
        "各单位",
        "各地各单位",
        "全市各级",
        "全市",
        "全县上下",
        "全县各级各部门",
        "全区上下",
        "全区各级各部门",
        "全县各部门",
        "全区各部门",
        "县级各部门",
        "区级各部门",
        "各级政府和部门",
        "各级政府和各部门",
        "各级政府",
        "全县",
        "全区",
        "各地",
        "市直各单位",
        "县直各单位",
        "区直各单位",
        "县直各部门",
        "区直各部门",
        "市级各单位",
        "县级各单位",
        "市政府各部门",
        "县政府各部门",
        "区政府各部门",
        "各直属机构",
        "各直属单位",
        "市政府各部门、各直属机构",
    ),
    RELATED: (
        "相关部门",
        "各有关部门",
        "有关部门",
        "各相关部门",
        "相关单位",
        "有关单位",
        "各有关单位",
        "各相关单位",
        "市级有关部门",
        "市级相关部门",
        "市直有关部门",
        "市有关部门",
        "市级有关单位",
        "相关职能部门",
        "有关职能部门",
        "各职能部门",
        "职能部门",
        "县级有关部门",
        "县级相关部门",
        "区级有关部门",
        "县有关部门",
        "区有关部门",
        "市级各有关部门",
        "县级各有关部门",
        "区级各有关部门",
        "市直有关单位",
        "各有关部门和单位",
        "有关部门和单位",
        "相关部门和单位",
        "市级有关单位",
        "县级有关单位",
        # The units a task list or a leading group already names: 各责任单位要对照目标查漏补缺.
        "各责任单位",
        "各相关责任单位",
        "各有关责任单位",
        "相关责任单位",
        "各牵头单位",
        "各成员单位",
        "各相关成员单位",
        # The units a supervision notice names (承办单位:…): 请各承办单位于每月25日前报送.
        "各承办单位",
        "各协办单位",
        "各配合单位",
        "各责任部门",
        "各牵头部门",
    ),
    TOWNSHIPS: (
        "乡镇(街道)",
        "各乡镇(街道)",
        "各乡镇(街道)",
        "乡镇街道",
        "各乡镇街道",
        "各镇(街道)",
        "镇(街道)",
        "各镇街",
        "镇街",
        "各乡镇",
        "各街道",
        "乡镇",
        "街道",
        "各街道办事处",
        "街道办事处",
        "各乡镇(街道)办事处",
        "各乡镇人民政府",
        "各乡镇政府",
        "各镇人民政府",
        "各镇政府",
        "各乡镇(街道)人民政府",
        "各镇(街道)人民政府",
        "各乡(镇)人民政府",
        "相关街道",
        "有关街道",
        "相关乡镇(街道)",
        "有关乡镇(街道)",
        "相关乡镇",
        "有关乡镇",
        # One level down in a prefecture-level city: its districts and counties.
        "各区县",
        "各县区",
        "各县(市、区)",
        "各县(市,区)",
        "各县(市)区",
        "各县市区",
        "各区(县)",
        "各县(区)",
        "各区、县",
        "各县、区",
        "各区县(市)",
        "各区县政府",
        "各区县人民政府",
        "各县(市、区)人民政府",
        "各县(市、区)政府",
        "各县市区政府",
        "各区",
        "各县",
        "各县(市)",
        "各区政府",
        "各区人民政府",
        "各县政府",
        "各县人民政府",
        "各县(市)人民政府",
        "各县(市)政府",
    ),
}
# Every level's related departments: 县直有关部门, 区级相关单位, 市各有关部门 ….
_LEVELS = ("市直", "县直", "区直", "市级", "县级", "区级", "市", "县", "区")
GROUP_WORDS[RELATED] = tuple(
    dict.fromkeys(
        GROUP_WORDS[RELATED]
        + tuple(
            level + which + unit
            for level in _LEVELS
            for which in ("有关", "相关", "各有关", "各相关")
            for unit in ("部门", "单位")
        )
    )
)
# The departments of a level's party committee and government: 县委、县政府各部门, 市委市政府各单位.
GROUP_WORDS[ALL] = GROUP_WORDS[ALL] + tuple(
    f"{level}委{sep}{level}政府{units}"
    for level in ("市", "县", "区")
    for sep in ("、", "")
    for units in ("各部门", "各单位", "各部门、各单位", "各部门和各单位")
)
# Districts and counties with their governments: 各县区政府, 各县(市、区)人民政府 ….
GROUP_WORDS[TOWNSHIPS] = tuple(
    dict.fromkeys(
        GROUP_WORDS[TOWNSHIPS]
        + tuple(
            base + gov
            for base in (
                "各区县",
                "各县区",
                "各县(市、区)",
                "各县市区",
                "各区(县)",
                "各县(区)",
                "各县(市)区",
                "各区县(市)",
            )
            for gov in ("", "政府", "人民政府")
        )
    )
)
# The townships a task concerns: 各相关乡镇, 沿线各镇(街道), 辖区各街道, 项目所在地乡镇 ….
GROUP_WORDS[TOWNSHIPS] = tuple(
    dict.fromkeys(
        GROUP_WORDS[TOWNSHIPS]
        + tuple(
            which + each + base
            for which in ("相关", "有关", "沿线", "辖区", "属地", "所在地", "项目所在地", "涉及")
            for each in ("", "各")
            for base in ("乡镇(街道)", "乡镇", "镇(街道)", "镇街", "街道", "乡镇街道")
        )
        + tuple(
            "各" + which + base
            for which in ("相关", "有关")
            for base in ("乡镇(街道)", "乡镇", "镇(街道)", "街道")
        )
    )
)
# Words that name a group only when a directive word follows at once (全市要…, 乡镇要…).
_WEAK_ALIASES = {"全市", "全县", "全区", "乡镇", "街道", "全市各级", "职能部门", "各地", "各区", "各县"}

# People's organisations and judicial organs, which directives task like departments.
_PEOPLES = (
    r"总工会|工会|妇联|残联|科协|工商联|红十字会|供销合作社|供销联社|供销社|文联|侨联|社科联|法院|检察院"
)
_SUFFIX = re.compile(
    rf"(?:{_PEOPLES}|管委会|管理委员会|指挥部|领导小组办公室|领导小组|办公室|委员会|办事处|人民政府|政府|部门|单位|中心"
    r"|街道|乡镇|分局|大队|支队|新区|开发区|园区|局|办|委|厅|镇|乡|区|室|(?:宣传|组织|统战|武装|人武)部)$"
)
_LONGEST_SUFFIX = re.compile(".+" + _SUFFIX.pattern.removesuffix("$"))
_SUFFIX_ANY = re.compile(_SUFFIX.pattern.removesuffix("$"))
# A name never starts with a verb: 推进市民中心建设 names a task, not a department.
_VERB_START = re.compile(
    r"推进|加快|加强|做好|抓好|完善|建立|健全|实施|开展|落实|强化|优化|提升|推动|深化|组织|支持|引导|鼓励|规范"
    r"|严格|全面|积极|大力|切实|进一步|建设|打造|围绕|按照|根据|结合|通过|确保|力争|争取|启动|完成|新建|改造"
    r"|新增|实现|发挥|坚持|保障|依托|利用|借助|联合|协调|指导|督促|帮助|委托|邀请|通知|动员|发动|对接|依靠|推广|建成|建好"
    r"|加大|提高|培育|扶持|用好|抓紧|尽快|整合|搭建|成立|组建|设立|筹建"
    r"|认真|扎实|着力|稳步|持续|全力|努力|加紧"  # the manner of the work (认真组织…)
    r"|年内|年底|年初|今年|明年|当年|上半年|下半年|近期|本月|月底"  # its time (年内…, 下半年…)
    r"|以|为|在|对|把|与|和|向|从|到|当|由|请|经|就|即|并|及|或"
    r"|会议"  # 会议同意市城管局提出的方案: the meeting, not a department
)
_STRONG_SUFFIX = re.compile(
    rf"(?:{_PEOPLES}|局|委|办|办公室|督查室|研究室|政研室|部门|管委会|人民政府|政府|中心|街道|大队|支队|分局|指挥部|领导小组|委员会"
    r"|宣传部|组织部|统战部)"
    r"(?:\([^()]*\))?$"
)
# Objects that are never a responsible department, even in subject position.
_NOT_DEPARTMENT = re.compile(
    r"公司|集团|企业|学校|学院|大学|中学|小学|幼儿园|医院|银行|平台|基地|干部|群众|人员|同志|实验室|工作室|会议室"
    r"|(?:督|举|承|创|兴|开|主|协|代|帮|领|包|快|上|即|马上|立即|合|分|联|民|公|易|好|难|速|一起|来)办$"
    r"|(?:小|城|市|景|社|辖|片|街|校|矿|库|山|灾|园|地)区$"
    r"|小镇$"  # a project (特色小镇, 越剧小镇), not a township
)
# A directive word right after a subject: 市农办要…, 教体部门负责…, 各部门也要….
_DIRECT = re.compile(
    r"(?:也|还|都|均|要|须|必须|务必|一定|应当|应|将|切实|进一步|具体|负责(?!人)|牵头|主办|主抓|配合|协助|协办|参与|协同|会同"
    r"|履行|承担|抓好|做好|落实|加强|加快|强化|组织|督促|统筹|联合|共同|按照|依照|(?:按|依)(?:各自)?职责|根据|围绕"
    r"|(?:安排|保障|制定|建立|开展|推进|实施|完成|提供)(?![^,，;；。]{0,4}的))"  # not 市财政局安排的资金
)
_STRICT = re.compile(r"(?:也|还|都|均)?(?:要|须|必须|务必|一定要|应当|应|将)")
# Organisations that are no department: companies, banks, hospitals, schools.
_ORG_WORDS = "公司|集团|银行|医院|卫生院|学校|学院|大学|中学|小学|幼儿园"
_ORG = re.compile(rf"{_ORG_WORDS}|企业")
_COMPANY = re.compile(r"公司|集团|银行|有限|股份")
SOE = "soe"  # the directory kind of a state-owned company (tracker.models.Department.Kind.SOE)
# An organisation written right after a department's or a group's name: 各乡镇(街道)卫生院,
# 市教育局直属学校. The whole is that organisation, not the department.
_ORG_AFTER = re.compile(
    r"[^\s\W0-9要须将应的在对把和与及等由请是为向从]{0,6}?"
    rf"(?:{_ORG_WORDS})"
)
# Words between a name and its role cue: 要积极配合, 按职责配合, 按照职责分工做好配合.
_ROLE_GAP = re.compile(
    r"(?:也|还|都|均|要|须|应当|应|积极|主动|全力|密切|共同|具体|做好|予以|给予"
    r"|(?:按|按照|依|依照)(?:各自)?职责(?:分工)?)*"
)
_MEETING_LEAD = re.compile(r"(?:会议|会上)[还并同时也又进一步再次]*(?:要求|强调|明确|指出|决定|议定|责成)")
# One kind of department at every level (各级财政部门, 各地教育部门, 全市各级公安机关) or in each
# place below (各县(市、区)财政部门, 各区教育局, 各乡镇(街道)财政所): a group of related departments
# for a person to resolve, like 相关部门; 各级党政机关 are all of them. 应 ends a name as a modal
# (各级财政部门应…), except in 应急 (各乡镇(街道)应急办).
_NOT_MODAL = r"(?!应(?!急))"
_EVERY_LEVEL = re.compile(
    r"(?:全市|全县|全区)?(?:各级|各地|市县两级|县乡两级|市县各级)"
    rf"({_NOT_MODAL}[^,，、;；:：。!?！？()（）《》“”\s要须将的是对把在向从等和及与各]"
    rf"(?:{_NOT_MODAL}[^,，;；:：。!?！？()（）《》“”\s要须将的是对把在向从等与各]){{1,7}}?)"
    r"(?:部门|机关|单位|系统)"
)
# In each place one kind only: 各乡镇人民政府、街道办事处 are the places, not a kind of department.
_EACH_PLACE = re.compile(
    r"各(?:县\(市[、,]区\)|县\(市\)区|县市区|区县\(市\)|区县|县区|区\(县\)|县\(区\)|县\(市\)"
    r"|乡镇\(街道\)|镇\(街道\)|乡\(镇\)|乡镇|街道|镇|区|县)"
    rf"((?!人民政府|政府){_NOT_MODAL}[^,，、;；:：。!?！？()（）《》“”\s要须将的是对把在向从等和及与各]"
    rf"(?:{_NOT_MODAL}[^,，、;；:：。!?！？()（）《》“”\s要须将的是对把在向从等和及与各]){{1,7}}?)"
    r"(?:部门|机关|单位|系统|局|委|指挥部办公室|指挥部|领导小组办公室|领导小组|办公室|办|所)"
)
_EVERY_LEVEL_ALL = re.compile(r"党政|政府|党委政府|党委和政府|行政|国家")
_SUBGOV = re.compile(r"各(?:县|区|市|乡|镇)(?:\([^()]{1,6}\))?(?:人民政府|政府)?")
_BARE_LIST = re.compile(r"([\u4e00-\u9fff]{2,6}(?:、[\u4e00-\u9fff]{2,6})*)(?=等(?:有关|相关)?(?:部门|单位))")
_LEAD_CUE = re.compile(r"牵头|负责|主办|主抓|主责|落实")
_SUPPORT_CUE = re.compile(r"配合|协助|协办|参与|协同")
# 市商务局、市发改委要密切配合: with nobody to help, departments working together all lead.
_MUTUAL = re.compile(r"(?:密切|相互|互相|紧密|通力)(?:配合|协作|协同)")
# Words that hand the work to a department: 由 / 请 / 责成 …, and before a level 交 / 授权 / 委托 …
_HANDING = r"(?:交|授权|委托|要求|责令|指定)(?=[市县区各])"
_BY = re.compile(
    rf"(?<![自理缘事申邀提报呈聘])(?:并由|交由|由|请|责成|下达到|下达给|{_HANDING})(?![于此示求])"
)
# A name never holds a word that hands work on, approves or reports to a level (该事项交市财政局,
# 同意县交通运输局, 修改完善后报县政府审定).
_HANDED_IN_NAME = re.compile(rf"{_HANDING}|同意(?=[市县区各])|(?:报|报请|呈报)(?=[市县区])")
_WITH = re.compile(r"(?:会同|协同)")
_ASSIST = re.compile(r"(?:配合|协助)(?!单位|部门)")
_CONNECTIVE = re.compile(r"(?:同时|此外|另外|其中|对此|为此|并且|并|还|首先|其次|最后)(?=[^,，])")
_TIME_WORDS = re.compile(
    r"(?:[0-9]{4}年(?:度)?|今年|明年|当前|目前|近期|下阶段|下一步|今后"
    r"|年内|年底前|年底|年初|年末|上半年|下半年|本月|月底前|月底"
    r"|[0-9一二两三四五六七八九十半]{1,3}个?(?:工作日|日|天|周|月|年)(?:之内|以内|内)"
    r"|[0-9一二三四五六七八九十]{1,2}月(?:[0-9一二三四五六七八九十]{1,3}[日号]|底|末|中旬|下旬|上旬)?(?:之前|以前|前))"
)
# 牵头单位: or a label set in brackets, 【牵头单位】市人社局【配合单位】市统计局.
_LABEL = re.compile(
    r"[【\[]?((?:牵头|主办|主责|负责|责任|承办)(?:单位|部门)|责任主体|(?:配合|协办|协助|参与|协作|协同)(?:单位|部门)"
    # (主办:市国资委;协办:市财政局): the role word alone, where a field starts
    r"|(?<=[(（;；,，\n])(?:牵头|主办|主责|承办|配合|协办|协助|参与)(?=[::]))"
    r"(?:[::]|(?<=[位门体])[】\]]|(?<=[位门体])为)"
)
# 责任单位为县住建局 is a label where a clause starts, not in 各责任单位为群众办实事.
_CLAUSE_START = "。;；,，\n(（"
_SUPPORT_LABELS = tuple(
    a + b for a in ("配合", "协办", "协助", "参与", "协作", "协同") for b in ("单位", "部门", "")
)
_LEAD_LABELS = tuple(a + b for a in ("牵头", "主办", "主责") for b in ("单位", "部门", ""))
_RESPONSIBLE_LABELS = ("责任单位", "责任部门", "责任主体")
_OPEN = "(（"
_CLOSE = ")）"
_MARKER = re.compile(
    r"\s*(?:[一二三四五六七八九十]{1,3}[是要]|[(（][一二三四五六七八九十0-9]{1,3}[)）]|[0-9]{1,3}[.．、](?![0-9])"
    r"|[①-⑳]|[一二三四五六七八九十]{1,3}、)"
)


def norm(s: str) -> str:
    """Normalise a department name for lookup: NFKC, no white space, ASCII brackets."""
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s).replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class _Known:
    name: str
    group: str
    weak: bool = False
    # A group named by one kind of department (各级财政部门, 各区城管局): each such phrase is a group
    # of its own for a person to resolve, though all of them link to the related-departments group.
    kind_of: bool = False
    company: bool = False  # never an owner


@dataclass(frozen=True)
class Mention:
    """A department mention found in a clause."""

    text: str  # as written
    lookup: str  # with a carried prefix (区财政局、住建局 -> 区住建局)
    start: int
    end: int
    role: str = LEAD


class Directory:
    """Names, aliases and built-in group words, ready for matching at a position in a text."""

    def __init__(self, entries: Iterable[DirectoryEntry] = ()):
        entries = list(entries)
        self._aliases: dict[str, _Known] = {}
        group_names = {e.group: e.name for e in entries if e.group}
        for group, words in GROUP_WORDS.items():
            name = group_names.get(group, words[0])
            for w in words:
                self._aliases[norm(w)] = _Known(name, group, weak=w in _WEAK_ALIASES)
        for e in entries:
            # A company is never a department, even when the directory lists it (as 国有企业, for
            # the tracker): it stays known, so that 市城投集团要… names no owner and no unknown one.
            # Its supervisor (市国资委) is a department.
            company = e.kind == SOE or bool(_COMPANY.search(e.name))
            for alias in (e.name, *e.aliases):
                if norm(alias):
                    self._aliases[norm(alias)] = _Known(
                        e.name,
                        e.group,
                        weak=alias in _WEAK_ALIASES,
                        company=company or bool(_COMPANY.search(alias)),
                    )
        self._cores: dict[str, _Known] = {}
        for alias, known in self._aliases.items():
            if not known.group:
                self._cores.setdefault(_core(alias), known)
        self._every_level = {
            group: _Known(group_names.get(group, GROUP_WORDS[group][0]), group, kind_of=True)
            for group in (ALL, RELATED)
        }
        self._resolved: dict[str, _Known | None] = {}
        self._by_first: dict[str, list[str]] = {}
        for alias in sorted(self._aliases, key=len, reverse=True):
            self._by_first.setdefault(alias[0], []).append(alias)

    def match_at(self, text: str, pos: int) -> tuple[int, _Known] | None:
        """Return the end and entry of the longest alias written at ``pos``."""
        if pos >= len(text):
            return None
        for alias in self._by_first.get(text[pos], ()):
            if text.startswith(alias, pos):
                return pos + len(alias), self._aliases[alias]
        return None

    def resolve(self, mention: str) -> _Known | None:
        """Find the entry a mention names: exact alias, with or without 市, or the same core."""
        if mention in self._resolved:
            return self._resolved[mention]
        found = self._resolve(mention)
        if len(self._resolved) < 100_000:
            self._resolved[mention] = found
        return found

    def _resolve(self, mention: str) -> _Known | None:
        key = norm(mention)
        if not key:
            return None
        for k in (key, "市" + key, key[1:] if key[:1] in "市县区" else None):
            if k and k in self._aliases and not self._aliases[k].weak:
                return self._aliases[k]
        level = _EVERY_LEVEL.fullmatch(key) or _EACH_PLACE.fullmatch(key)
        if level:
            return self._every_level[ALL if _EVERY_LEVEL_ALL.fullmatch(level.group(1)) else RELATED]
        core = _core(key)
        if len(core) >= 2:
            return self._cores.get(core)
        return None


def _core(name: str) -> str:
    name = re.sub(r"^(?:市级|市|县|区|全市)", "", name)
    return re.sub(r"(?:部门|局|委员会|委|办公室|办|管委会)$", "", name)


# --- finding mentions -----------------------------------------------------------------------


def find_departments(text: str, directory: Directory) -> list[tuple[Mention, _Known | None, bool]]:
    """Return the responsible departments one directive names: (mention, entry, carried by 下同)."""
    found: dict[int, tuple[Mention, _Known | None, bool]] = {}
    masked = mask_quotes(text)
    for pos, prefix in _clause_starts(masked):
        for mention, known in _subject_at(text, masked, pos, prefix, directory):
            found.setdefault(mention.start, (mention, known, False))
    if found and all(m.role == SUPPORT for m, _, _ in found.values()) and _MUTUAL.search(masked):
        found = {pos: (dataclasses.replace(m, role=LEAD), k, c) for pos, (m, k, c) in found.items()}
    labelled = _labelled(text, directory)
    # A department both the subject and in an owner label (…市公安局要…(配合单位:市公安局)) has
    # the role the label gives it: the label is the assignment.
    by_label = {_key(m, k) for m, k, _ in labelled}
    found = {pos: f for pos, f in found.items() if _key(f[0], f[1]) not in by_label}
    for mention, known, carry in labelled:
        found[mention.start] = (mention, known, carry)
    return [found[k] for k in sorted(found) if not (found[k][1] and found[k][1].company)]


def _key(mention: Mention, known: _Known | None) -> str:
    """What makes two mentions the same department (as to_refs counts them)."""
    return known.name if known and not known.kind_of else norm(mention.lookup)


def has_own_subject(text: str, directory: Directory | None = None) -> bool:
    """Tell whether a clause of a directive has a subject that is no department (学校要…, 企业要…).

    A company the directory knows (城投要…) is such a subject too, even without 公司 in its name.
    """
    masked = mask_quotes(text)
    for start, _ in _clause_starts(masked):
        pos = _skip_lead(masked, start)
        window = _window(masked, pos)
        hit = directory.match_at(masked, pos) if directory is not None else None
        org = bool(_ORG.search(window)) or bool(hit and hit[1].company)
        end = pos + len(window)
        while org and end < len(masked) and masked[end] in "、和及与":  # 区城投集团、区交投集团要…
            window = _window(masked, end + 1)
            org = bool(window) and bool(_ORG.search(window))
            end += 1 + len(window)
        if org and _ORG_ACTS.match(masked, end):
            return True
    return False


_ORG_ACTS = re.compile(r"(?:也|还|都|均)?(?:要|须|必须|务必|一定要|应当|应|将|负责|牵头|配合|协助|参与)")


_CLAUSE_SCAN = re.compile(r"[(（)）,，:：;；。]")
# 要求 opening a clause names the one asked to act; before a level (要求市…) it is one of _BY's words,
# elsewhere a name after it is the subject only as at the head of a directive (a suffix, then a verb).
_ASKED = re.compile(r"(?<=[,，;；])(?:并|同时)?要求(?![市县区各])")
_OWNER_BRACKET = re.compile(r"(?:单位|部门|责任主体)[:：]|牵头|配合|协助|负责")
_ROLE_THEN_NAME = re.compile(r"(?:牵头|负责|主办|主抓)、")


def _clause_starts(masked: str) -> list[tuple[int, str]]:
    """Positions where a subject may stand, with the word that introduced it (由, 会同 …) if any."""
    starts = [(0, "")]
    depth = 0
    opened = 0
    for m in _CLAUSE_SCAN.finditer(masked):
        c = m.group(0)
        if c in _OPEN:
            opened = m.end() if depth == 0 else opened
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
            if depth == 0 and _OWNER_BRACKET.search(masked, opened, m.start()):
                starts.append((m.end(), ""))  # …,(责任单位:县商务局)县财政局要…: a clause after the owners
        elif depth == 0:
            starts.append((m.end(), ""))
    for m in _BY.finditer(masked):
        starts.append((m.end(), "by"))
    for m in _WITH.finditer(masked):
        starts.append((m.end(), "with"))
    for m in _ROLE_THEN_NAME.finditer(masked):
        starts.append((m.end(), ""))  # 县人社局牵头、县住建局配合: a 、 after the role ends a clause
    for m in _ASSIST.finditer(masked):
        starts.append((m.end(), "assisted"))  # 县公安局协助县交通运输局开展…: the one helped leads
    if "要求" in masked:
        for m in _ASKED.finditer(masked):
            starts.append((m.end(), "asked"))  # …原则同意该方案,要求城关镇修改完善后实施
    return starts


def _subject_at(
    text: str, masked: str, pos: int, prefix: str, directory: Directory
) -> list[tuple[Mention, _Known | None]]:
    pos = _skip_lead(masked, pos)
    if not prefix:
        m = _BY.match(masked, pos)
        if m:
            prefix, pos = "by", m.end()
        else:
            m = _WITH.match(masked, pos)
            if m:
                prefix, pos = "with", m.end()
    mentions, end = _mention_list(text, pos, directory)
    if not mentions:
        return []
    end = _skip_etc(text, end)
    after = masked[end : end + 12]
    role = SUPPORT if prefix == "with" else LEAD
    if prefix in ("by", "with", "assisted") or _IS_OWNER.match(masked, end):
        valid = True
    else:
        direct = _DIRECT.match(after)
        if any(k is not None and k.weak for _, k in mentions):
            valid = bool(_STRICT.match(after))
        elif all(k is not None for _, k in mentions):
            valid = not after.startswith(("的", "是", "之", "所", "与", "和"))
        else:
            # At the head of a directive a department-like name followed by a verb is its subject
            # (2、市财政局安排专项资金…); elsewhere a directive word must follow.
            valid = bool(direct) or (
                (pos <= _head_end(masked) or prefix == "asked")
                and all(len(mm.text) >= 3 for mm, _ in mentions)
                and all(
                    k is not None or _STRONG_SUFFIX.search(mm.text) or _TOWNSHIP.fullmatch(mm.text)
                    for mm, k in mentions
                )
                and bool(re.match(r"[\u4e00-\u9fff]", after))
                and not after.startswith(("的", "是", "之", "所", "与", "和", "及", "等"))
            )
    if not valid:
        return []
    if prefix not in ("with", "assisted"):
        gap = _ROLE_GAP.match(after).end()
        if _SUPPORT_CUE.match(after, gap):
            role = SUPPORT
        elif _LEAD_CUE.match(after, gap):
            role = LEAD
    return [(dataclasses.replace(m, role=role), k) for m, k in mentions]


# 各乡镇政府是农村人居环境整治的责任主体: the department said to be the responsible party.
_IS_OWNER = re.compile(
    r"是[^,，;；。!?！？]{0,20}?(?:责任主体|实施主体|第一责任人|牵头单位|责任单位|主责单位)"
)


def _head_end(text: str) -> int:
    """End of the head of a directive: its enumeration marker, leading white space and 会议要求."""
    m = _MARKER.match(text, 0)
    pos = m.end() if m else len(text) - len(text.lstrip())
    lead = _MEETING_LEAD.match(text, pos)
    return lead.end() if lead else pos


def _skip_lead(masked: str, pos: int) -> int:
    while pos < len(masked) and masked[pos].isspace():
        pos += 1
    m = _MARKER.match(masked, pos)
    if m and pos == 0:
        pos = m.end()
    for pattern in (_MEETING_LEAD, _CONNECTIVE, _TIME_WORDS):
        m = pattern.match(masked, pos)
        if m:
            pos = m.end()
    return pos


def _skip_etc(text: str, pos: int) -> int:
    m = re.compile(r"等(?:有关|相关)?(?:部门|单位|地方)?").match(text, pos)
    return m.end() if m else pos


def _mention_list(
    text: str, pos: int, directory: Directory
) -> tuple[list[tuple[Mention, _Known | None]], int]:
    """Read 区财政局、住建局和各乡镇(街道) at ``pos``: known names first, then department-like words.

    Return the mentions and where the list ends. A company in the list (县住建局、县供电公司要…) is
    read over and left out.
    """
    out: list[tuple[Mention, _Known | None]] = []
    bare = _BARE_LIST.match(text, pos)
    if bare and directory.match_at(text, pos) is None and _one_mention(text, pos, directory) is None:
        # 水利、应急等部门: short names that stand for departments only before 等部门
        k = pos
        for piece in bare.group(1).split("、"):
            out.append((Mention(piece, piece, k, k + len(piece)), directory.resolve(piece)))
            k += len(piece) + 1
        return out, bare.end(1)
    region = ""
    list_end = pos
    while pos < len(text):
        qualifier = _QUALIFIER.match(out[0][0].text) if out else None
        if qualifier and text.startswith(("部门", "单位"), pos):
            # 相关乡镇(街道)和部门: the bare word has the qualifier of the list (相关部门)
            got = pos + 2, directory.resolve(qualifier.group(0) + text[pos : pos + 2])
        else:
            got = _one_mention(text, pos, directory, in_list=bool(out))
        if got is None:
            company = _company_end(text, pos, directory)
            if company is None:
                break
            list_end = company
            sep = _LIST_SEP.match(text, company)
            if not sep:
                break
            pos = sep.end()
            continue
        end, known = got
        written = text[pos:end]
        other = _OTHER_NAME.search(written)
        lookup = written[: other.start()] if other else written
        if qualifier and written in ("部门", "单位"):
            lookup = qualifier.group(0) + written
        if not out:
            m = re.match(r"[市县区镇乡]", written)
            region = m.group(0) if m else ""
        elif (
            region
            and not re.match(r"[市县区镇乡各全]", written)
            and region not in written[1:2]  # 团县委 names its level after 团
            and (known is None or not known.group)
            and not _PLACE_NAME.search(written)  # 长乐镇 is a township, not the 市's 长乐镇
        ):
            lookup = region + lookup
            known = directory.resolve(lookup) or known
        if other and known is None:
            known = directory.resolve(lookup) or directory.resolve(other.group(1))
        for piece_start, piece_end in _split_unknown(text, pos, end) if known is None else [(pos, end)]:
            piece = text[piece_start:piece_end]
            piece_lookup = lookup if (piece_start, piece_end) == (pos, end) else piece
            k = known if known is not None else directory.resolve(piece_lookup)
            out.append((Mention(piece, piece_lookup, piece_start, piece_end), k))
        list_end = end
        sep = _LIST_SEP.match(text, end)
        if not sep:
            break
        pos = sep.end()
    return out, list_end


_LIST_SEP = re.compile(r"、|和|及|与|以及|,(?=[^,，]{0,12}(?:等部门|等单位))")
_COMPANY_NAME = re.compile(r".{0,14}?(?:有限公司|公司|集团)")


def _company_end(text: str, pos: int, directory: Directory) -> int | None:
    """The end of a company's name written at ``pos`` (国网县供电公司, 城投), or None."""
    hit = directory.match_at(text, pos)
    if hit and hit[1].company:
        return hit[0]
    near = text[pos : pos + 18]  # the longest window
    if "公司" not in near and "集团" not in near:
        return None  # most calls: the end of a list of departments, not a company
    window = _window(text, pos)
    m = _COMPANY_NAME.match(window)
    if m and (m.end() == len(window) or window[m.end()] in "和及与"):
        return pos + m.end()
    return None


_QUALIFIER = re.compile(r"各?(?:相关|有关)|各")


# A department's other name in brackets after its name (区城市管理局(区综合行政执法局), 区行政审批局
# (区数据局)): one department, two nameplates; the first name is its mention.
_OTHER_NAME = re.compile(r"\(([^()]{2,14}?(?:局|委|办|办公室|中心|管委会|指挥部|大队|支队|分局))\)$")


# A unit inside a department, written right after its name: 交警支队, 城东派出所, 执法大队.
_SUB_UNIT = re.compile(
    r"[^\s\W0-9要须将应的在对把和与及等由请是为向从]{1,6}?(?:支队|大队|中队|分局|派出所|中心|站)"
)


_PLACE_NAME = re.compile(r"(?:镇|乡|街道|村|社区|新区|开发区|园区)$")


# Units below a township (各社区, 村(社区), 街道城管科, 镇财政所): the subject of a directive is its
# responsible party, a directory of departments knows none of them, so they keep their mention.
_BELOW_TOWNSHIP = re.compile(
    r"(?:各?(?:村[(（](?:社区|居)[)）]|村居|社区居委会|居委会|村委会|行政村|社区|村)"
    r"|(?:街道|乡镇|镇|乡)[\u4e00-\u9fff]{1,4}?[科所站])"
    r"(?=(?:也|还|都|均)?(?:要|须|必须|务必|一定要|应当|应|将|负责|牵头|配合|协助))"
)


def _one_mention(
    text: str, pos: int, directory: Directory, in_list: bool = False
) -> tuple[int, _Known | None] | None:
    if text[pos] in "各村社街乡镇":
        below = _BELOW_TOWNSHIP.match(text, pos)
        if below:
            return below.end(), None
    hit = directory.match_at(text, pos)
    level = _EVERY_LEVEL.match(text, pos) or _EACH_PLACE.match(text, pos)
    if level and (hit is None or hit[0] < level.end()) and not _VERB_START.match(level.group(1)):
        return level.end(), directory.resolve(level.group(0))  # 各地教育部门, not 各地 alone
    if hit:
        end, known = hit
        if known.company or _org_follows(text, end):
            return None
        if end < len(text) and text[end] in _OPEN:
            close = _bracket_end(text, end)
            if close is not None and close - end <= 14:
                longer = directory.resolve(text[pos:close])
                if longer is not None:
                    return close, longer
        unit = _SUB_UNIT.match(text, end)
        if (
            unit
            and not known.group
            and not _VERB_START.match(text, end)
            and not _DIRECT.search(text, end, unit.end())
        ):  # 市公安局交警支队: a unit of a known department is its own owner
            return unit.end(), directory.resolve(text[pos : unit.end()])
        return end, known
    sub = _SUBGOV.match(text, pos)
    if sub and sub.end() - pos > 2:
        return sub.end(), directory.resolve(sub.group(0))
    if text[pos] in _PREPOSITIONS:  # the window stops at these: 向阳街道, 在城镇 are read here
        place = _PREP_TOWNSHIP.match(text, pos)
        if place is None or place.group(0).endswith(("城乡", "乡镇")):
            return None
        return place.end(), directory.resolve(place.group(0))
    window = _window(text, pos)
    m = _name_end(window, in_list)
    if m is None:
        return None
    end = pos + m
    if end < len(text) and text[end] in _OPEN:
        close = _bracket_end(text, end)
        if close is not None and close - end <= 14:
            end = close
    known = directory.resolve(text[pos:end])
    if (known is not None and known.company) or _org_follows(text, end):
        return None
    return end, known


def _org_follows(text: str, end: int) -> bool:
    """Tell whether an organisation's name goes on after a department's (市教育局直属学校)."""
    m = _ORG_AFTER.match(text, end)
    return bool(m) and not (
        _VERB_START.match(m.group(0)) or _DIRECT.search(m.group(0)) or _WINDOW_STOP.search(m.group(0))
    )


# A department suffix followed by a verb inside a run: the name ends at the suffix.
_INNER_END = re.compile(
    rf"(?:{_PEOPLES}|局|委|办公室|办|中心|政府|大队|支队|分局|管委会|(?:宣传|组织|统战|武装|人武)部)"
    r"(?=抓紧|尽快|立即|及时|认真|具体|统筹|安排|办理|研究|制定|做好|负责|牵头|配合|协助|会同|推进|加快|加强|组织|落实|开展"
    r"|打造|实施|建设|推动|完善|建立|健全|强化|优化|提升|深化|启动|完成|新建|改造|新增|实现|保障|做实|抓好"
    r"|修改|修订|起草|编制|拟定|细化|根据|按照|依据|结合|进一步|和|与|及|并|把|对|向|以)"
)


# A word like a verb that opens a unit's own name after its parent's: 市政府研究室, 市发改委研究中心
# (but 县发改局抓紧办理 and 市应急局建立指挥部 are a department and its action).
_UNIT_TAIL = re.compile(r"[\u4e00-\u9fff]{2}(?:室|中心|院|所|站|处)")


def _inner_cut(candidate: str) -> int | None:
    """Where a name ends before a verb inside a run, skipping suffixes that go on as a unit's name.

    县委组织部研究制定 ends at 组织部 (组织 there names the 部), 市政府研究室负责 goes on to 研究室.
    """
    for inner in _INNER_END.finditer(candidate, 1):
        cut = inner.end()
        if (
            inner.start() <= 12
            and not _is_unit_tail(candidate, cut)
            and not _PARTY_DEPT.match(candidate, cut)
        ):
            return cut
    return None


_PARTY_DEPT = re.compile(r"(?:宣传|组织|统战|武装|人武)部")


def _is_unit_tail(candidate: str, pos: int) -> bool:
    """Tell whether a name goes on at ``pos`` as a unit's own name, up to 和 / 及 / 与 if any."""
    joint = re.compile("[和及与]").search(candidate, pos)
    return bool(_UNIT_TAIL.fullmatch(candidate, pos, joint.start() if joint else len(candidate)))


def _name_end(window: str, in_list: bool) -> int | None:
    """Return the length of the department name opening window, or None.

    The longest run ending in a department suffix is tried first, then shorter ones, so that
    市城管局抓紧完成主城区 gives 市城管局 rather than nothing. Inside a list (区财政局、经信局) a
    name may start like a verb (经信局, 建设局).
    """
    # Every place a suffix ends, longest first (开发区管委会 ends at 会, not at 委 or 区).
    ends = {m.end() for m in _SUFFIX_ANY.finditer(window) if m.start() >= 1}
    longest = _LONGEST_SUFFIX.match(window)
    if longest:
        ends.add(longest.end())  # 开发区: the suffix 区 after 开发
    ends = sorted((e for e in ends if e >= 2), reverse=True)
    for end in ends:
        candidate = window[:end]
        if _HANDED_IN_NAME.search(candidate):
            continue  # 县粮食局修改完善后提交县委: the name, if any, ends before the body it goes to
        if (
            _VERB_START.match(candidate)
            and not (in_list and len(candidate) <= 5)
            and not (
                end == len(window) and _PLACE_START.match(candidate) and _STRONG_SUFFIX.search(candidate)
            )
        ):
            return None
        cut = _inner_cut(candidate)
        if cut is not None:
            return cut  # 县发改局抓紧办理: the name ends before the verb
        if not _NOT_DEPARTMENT.search(candidate):
            return end
    return None


# A place whose name opens like a preposition (经开区管委会, 和平区教育局, 向阳街道), when its name
# runs up to the directive word: a preposition is followed by the department's level (对市住建局).
_PLACE_START = re.compile(r"[以为在对把与和向从到当由请经就即并及或](?![市县区乡镇省各全本该])")
# A township whose name opens with one of the prepositions the window stops at (向阳街道, 在城镇,
# 对山乡), when a directive word, a list or a clause's end follows: 对重点乡镇 / 向社会 are no name.
_PREPOSITIONS = "对把在向从"
_PREP_TOWNSHIP = re.compile(
    r"[对把在向从](?![市县区乡镇省各全本该])[\u4e00-\u9fff]{1,2}?(?:街道|镇|乡)"
    r"(?=[、,，;；和及与]|(?:也|还|都|均)?(?:要|须|必须|务必|应|将|负责|牵头|配合|协助|抓紧|尽快|切实))"
)
_WINDOW = re.compile(r"[^,，、;；:：。!?！？()（）《》“”\s要须将的是对把在向从等]{0,18}")
_WINDOW_STOP = re.compile(r"负责|牵头|配合|协助|参与|会同|(?<![自理缘事])由")


def _window(text: str, pos: int) -> str:
    """The run of text where one department name can be: up to a stop word or punctuation."""
    w = _WINDOW.match(text, pos).group(0)
    stop = _WINDOW_STOP.search(w)
    return w[: stop.start()] if stop else w


def _split_unknown(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split 教体部门和人力社保部门 into two when both halves are department-like."""
    s = text[start:end]
    for sep in ("和", "及", "与"):
        k = s.find(sep)
        if 0 < k < len(s) - 1:
            left, right = s[:k], s[k + 1 :]
            if _SUFFIX.search(left) and _SUFFIX.search(right.split("(")[0]):
                return [(start, start + k), (start + k + 1, end)]
    return [(start, end)]


def _bracket_end(text: str, pos: int) -> int | None:
    """The end of the round bracket opening at ``pos``, looked for within 30 characters."""
    return bracket_close(text, pos, min(len(text), pos + 30), _OPEN, _CLOSE)


# --- labelled owners ------------------------------------------------------------------------


def _labelled(text: str, directory: Directory) -> list[tuple[Mention, _Known | None, bool]]:
    """Owners given by labels (牵头单位:…) or in a bracket (市发改局牵头,市财政局配合); 下同 marks a carry."""
    out: list[tuple[Mention, _Known | None, bool]] = []
    labels = [
        m
        for m in _LABEL.finditer(text)
        if not (m.group(0).endswith("为") and m.start() > 0 and text[m.start() - 1] not in _CLAUSE_START)
    ]
    # (牵头单位:市发改局;责任单位:各县(市、区)): beside a lead unit the responsible units carry the
    # task out under it, so they support; alone, the responsible units lead.
    has_lead_label = any(m.group(1) in _LEAD_LABELS for m in labels)
    for m in labels:
        if m.group(1) in _SUPPORT_LABELS or (has_lead_label and m.group(1) in _RESPONSIBLE_LABELS):
            role = SUPPORT
        else:
            role = LEAD
        value_end = _value_end(text, m.end())
        pieces = [text[a:b].strip() for a, b in _segments(text, m.end(), value_end, seps="、,，")]
        carry_all = any(p in _CARRY_WORDS for p in pieces)
        values = _marked_values(text, m.end(), value_end, role, directory)
        # 责任单位:县住建局(牵头)、县自然资源局: the one marked 牵头 leads, the others support it.
        if role == LEAD and any(mark == LEAD for *_, mark in values):
            values = [
                (mm if mark else dataclasses.replace(mm, role=SUPPORT), k, c, mark)
                for mm, k, c, mark in values
            ]
        out.extend((mm, k, carry_all or carry) for mm, k, carry, _ in values)
    for start, end in _brackets(text):
        inner = text[start:end]
        if _LABEL.search(inner):
            continue
        if not re.search(r"牵头|负责|配合|协助|参与|协办", inner):
            out.extend(_bare_owners(text, start, end, directory))
            continue
        previous: list[int] = []
        for seg_start, seg_end in _segments(text, start, end):
            seg = text[seg_start:seg_end].strip()
            if seg in _CARRY_WORDS:
                for i in previous:
                    out[i] = (out[i][0], out[i][1], True)
                continue
            previous = []
            # (县住建局负责督导): overseeing the task is leading it
            cue = re.search(r"(?:牵头|负责|主办|配合|协助|协办|参与|落实)(?=(?:督导|督促|监督|指导)?$)", seg)
            if not cue:
                continue
            role = SUPPORT if _SUPPORT_CUE.match(cue.group(0)) else LEAD
            cue_at = seg_start + text[seg_start:seg_end].rfind(cue.group(0))
            manner = _MANNER_TAIL.search(text, seg_start, cue_at)
            cue_at = manner.start() if manner else cue_at  # 县经信局、县大数据中心按职责分工负责
            for mm, k in _owner_values(text, seg_start, cue_at, role, directory):
                previous.append(len(out))
                out.append((mm, k, False))
    for m in _NAMED_AS.finditer(text):
        # 县农业农村局为主办单位,县财政局为协办单位: the names before 为 take the label's role
        start = max(text.rfind(c, 0, m.start()) for c in _CLAUSE_START) + 1
        start = _skip_lead(text, start)
        by = _BY.match(text, start)
        start = by.end() if by else start
        role = SUPPORT if m.group(1) in _SUPPORT_LABELS else LEAD
        out.extend((mm, k, False) for mm, k in _owner_values(text, start, m.start(), role, directory))
    for m in re.finditer(r"以下均需(.{2,30}?)(?:落实|负责)", text):
        out.extend((mm, k, True) for mm, k in _owner_values(text, m.start(1), m.end(1), LEAD, directory))
    return out


_CARRY_WORDS = ("下同", "以下同", "以下均同")
_PLACE_UNIT = re.compile(r"(?:镇|乡|街道)$")
# A township by its short name: 城关镇, 东湖街道 (not 全年新增城镇, a phrase ending in 镇).
_TOWNSHIP = re.compile(r"[\u4e00-\u9fff]{2,3}(?:镇|乡|街道)")


def _bare_owners(
    text: str, start: int, end: int, directory: Directory
) -> list[tuple[Mention, _Known | None, bool]]:
    """Owners in a bracket of names only that ends a task (…完成主体工程。(县住建局、城关镇)), or none.

    Every name in it must be a department's, so that (三期) or (2024—2026年) name nobody.
    """
    if text[end + 1 :].strip(" \t\n。.;；"):
        return []
    for k in range(max(0, start - 10), start - 1):
        hit = directory.match_at(text, k)
        if hit and hit[0] > start:
            return []  # the bracket is part of a name: 责任主体:各乡镇(街道)
    pieces = _segments(text, start, end, seps="、,，;；")
    values = _marked_values(text, start, end, LEAD, directory)
    if not values or len(values) < len(pieces):  # a piece that is no name was left out
        return []
    for mention, known, *_ in values:
        if known is None and not (_STRONG_SUFFIX.search(mention.text) or _PLACE_UNIT.search(mention.text)):
            return []
    return [(mm, k, False) for mm, k, *_ in values]


_NAMED_AS = re.compile(
    r"(?<=[局委办队心府门位镇道会部])(?:作)?为((?:牵头|主办|主责|负责|责任|承办|配合|协办|协助|参与)(?:单位|部门))"
)
_MANNER_TAIL = re.compile(r"(?:按(?:照)?(?:各自)?职责(?:分工)?|根据职责(?:分工)?|分别|共同|各自)$")


def _value_end(text: str, pos: int) -> int:
    depth = 0
    for i in range(pos, min(len(text), pos + 200)):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (c in ";；。\n【" or _LABEL.match(text, i) or text.startswith("完成时限", i)):
            return i
    return min(len(text), pos + 200)


def _owner_values(
    text: str, start: int, end: int, role: str, directory: Directory
) -> list[tuple[Mention, _Known | None]]:
    return [(mm, k) for mm, k, *_ in _marked_values(text, start, end, role, directory)]


_VALUE_NOTE = re.compile(
    r"\((下同|以下同|以下均同|牵头|负责|主办|主责|配合|协助|协办|参与|按职责分工负责|按职责负责)\)$"
)


def _marked_values(
    text: str, start: int, end: int, role: str, directory: Directory
) -> list[tuple[Mention, _Known | None, bool, str]]:
    """Read the names of an owner field; each with its carry (下同) and its own role mark ("" if none)."""
    out = []
    for a, b in _segments(text, start, end, seps="、,，;； \t\u3000"):  # 县医疗保障局 县财政局
        value = text[a:b].strip()
        carry, mark = False, ""
        note = _VALUE_NOTE.search(value)
        while note:  # 各乡镇(下同), 县住建局(牵头)
            word = note.group(1)
            if word in _CARRY_WORDS:
                carry = True
            else:
                mark = SUPPORT if _SUPPORT_CUE.match(word) else LEAD
            value = value[: note.start()].rstrip()
            note = _VALUE_NOTE.search(value)
        value_clean = re.sub(r"(?:等(?:有关|相关)?(?:部门|单位)?|下同|以下同)$", "", value).strip()
        if not value_clean or len(value_clean) > 30 or re.search(r"[0-9]", value_clean):
            continue
        b = a + len(value_clean)
        known = directory.resolve(value_clean)
        if (known is None and _ORG.search(value_clean)) or (known is not None and known.company):
            continue  # a company or school is no department, even in an owner column
        other = _OTHER_NAME.search(value_clean) if known is None else None
        if other:  # 牵头单位:区城市管理局(区综合行政执法局)
            lookup = value_clean[: other.start()]
            known = directory.resolve(lookup) or directory.resolve(other.group(1))
            out.append((Mention(value_clean, lookup, a, b, mark or role), known, carry, mark))
            continue
        pieces = (
            [(a, b)]
            if known is not None
            else [p for r in _split_run(text, a, b) for p in _split_unknown(text, *r)]
        )
        for pa, pb in pieces:
            piece = text[pa:pb]
            k = known if len(pieces) == 1 else directory.resolve(piece)
            out.append((Mention(piece, piece, pa, pb, mark or role), k, carry, mark))
    return out


# Where one name ends and the next of the same level begins, run together when the space between
# them was lost: 县医疗保障局县财政局.
_RUN_CUT = re.compile(r"(?:局|委|办|中心|大队|支队|分局|管委会|政府)(?=[市县区][\u4e00-\u9fff]{2})")


def _split_run(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split names of one level run together (县医疗保障局县财政局) when each ends like a department's."""
    cuts = [m.end() for m in _RUN_CUT.finditer(text, start, end)]
    if not cuts or text[start] not in "市县区":
        return [(start, end)]
    spans = list(zip([start, *cuts], [*cuts, end], strict=True))
    if all(_STRONG_SUFFIX.search(text[a:b]) for a, b in spans):
        return spans
    return [(start, end)]


def _segments(text: str, start: int, end: int, seps: str = ",，;；") -> list[tuple[int, int]]:
    out = []
    depth = 0
    s = start
    for i in range(start, end):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in seps:
            if i > s:
                out.append((s, i))
            s = i + 1
    if end > s:
        out.append((s, end))
    return out


_BRACKET_SCAN = re.compile(r"[(（)）]")


def _brackets(text: str) -> list[tuple[int, int]]:
    """Inner spans of the outermost bracket groups."""
    out = []
    depth = 0
    start = 0
    for m in _BRACKET_SCAN.finditer(text):
        i = m.start()
        if text[i] in _OPEN:
            if depth == 0:
                start = i + 1
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append((start, i))
    return out


# --- linking a meeting's directives ---------------------------------------------------------


def to_refs(found: Sequence[tuple], inherited: bool = False) -> tuple[DepartmentRef, ...]:
    """Turn mentions into DepartmentRefs, one per department (the first role wins)."""
    out: list[DepartmentRef] = []
    seen: set[str] = set()
    for mention, known, *_ in found:
        key = _key(mention, known)
        if key in seen:
            continue
        seen.add(key)
        is_group = bool(known.group) if known else mention.text.startswith("各")
        # An unknown name in a list keeps the prefix the list carries (区财政局、住建局 -> 区住建局):
        # the short form alone would be ambiguous between the city's and the district's bureau.
        out.append(
            DepartmentRef(
                mention=norm(mention.lookup),
                name=known.name if known else None,
                role=mention.role,
                is_group=is_group,
                inherited=inherited,
            )
        )
    return tuple(out)


def link(directives: Sequence, directory: Directory) -> list[tuple[DepartmentRef, ...]]:
    """Give each directive its departments, carrying a passage's subject to clauses without one."""
    out: list[tuple[DepartmentRef, ...]] = []
    carry: dict[int, tuple[DepartmentRef, ...]] = {}
    task_carry: dict[str, tuple] = {}  # the first mention of each department carried by 下同
    carried: tuple[DepartmentRef, ...] = ()  # task_carry as refs, rebuilt only when it grows
    section_owner: dict[int, tuple[DepartmentRef, ...]] = {}
    shared = shared_labels(directives, directory)
    for d, labels in zip(directives, shared, strict=True):
        found = find_departments(d.text, directory)
        if getattr(d, "task", False):
            if not d.is_item:
                section_owner[d.passage] = to_refs(found)
            refs = to_refs(found)
            if not found and d.passage in section_owner:
                refs = tuple(dataclasses.replace(r, inherited=True) for r in section_owner[d.passage])
            refs = refs + carried
            new = [f for f in found if f[2] and _carry_key(f) not in task_carry]
            if new:
                task_carry.update((_carry_key(f), f) for f in new)
                carried = tuple(
                    dataclasses.replace(r, inherited=True) for r in to_refs(list(task_carry.values()))
                )
            out.append(_dedupe(refs))
            continue
        if labels:
            found = _with_decision_labels(d.text, labels, found, directory)
        refs = to_refs(found)
        if (
            refs
            and all(r.role == SUPPORT for r in refs)
            and d.passage in carry
            and _no_subject(d.text, directory)
        ):
            # 县文旅局要办好桃花节;要做好游客疏导(配合单位:县公安局): the police help the one leading
            refs = _dedupe(tuple(dataclasses.replace(r, inherited=True) for r in carry[d.passage]) + refs)
        if refs:
            carry[d.passage] = refs
        elif d.passage in carry and not has_own_subject(d.text, directory):
            refs = tuple(dataclasses.replace(r, inherited=True) for r in carry[d.passage])
        out.append(refs)
    return out


def shared_labels(directives: Sequence, directory: Directory) -> list[str]:
    """The owner labels each directive shares with the others of its decision ("" for none).

    Extract offers the labels after a decision's last item to the items before it; an item whose
    subject the labels do not name at all (各级各部门要… before 市发改委要…(牵头单位:市发改委))
    belongs to an earlier directive, and so does everything before it. With no item left to share
    them, the labels are the last item's own.
    """
    out = [getattr(d, "labels", "") for d in directives]
    for i in range(len(directives) - 1, -1, -1):
        labels = out[i]
        if not labels or not directives[i].text.endswith(labels):
            continue
        named = {_key(m, k) for m, k, _ in find_departments(labels, directory)}
        first = i
        while first > 0 and out[first - 1] == labels and not directives[first - 1].text.endswith(labels):
            own = find_departments(directives[first - 1].text, directory)
            if any(m.role == LEAD and _key(m, k) not in named for m, k, _ in own):
                # 各部门要压实责任;要提升效率。…: the clauses after that subject are still its own
                while first < i and not find_departments(directives[first].text, directory):
                    first += 1
                break
            first -= 1
        for k in range(i - 1, -1, -1):
            if out[k] != labels or directives[k].text.endswith(labels):
                break
            if k < first:
                out[k] = ""
        if first == i:
            out[i] = ""
    return out


def _no_subject(text: str, directory: Directory) -> bool:
    """Tell whether a directive's own words, before any owner labels, have no subject.

    A department it names only to help, after its head (要会同县公安局做好…), is no subject: it
    helps the one leading. One at its head (区消防救援大队协助做好培训) is.
    """
    start = label_start(text)
    own = text if start is None else text[:start]
    masked = mask_quotes(own)
    head = _skip_lead(masked, 0)
    found = find_departments(own, directory)
    if any(m.role == LEAD or m.start <= head for m, _, _ in found) or has_own_subject(own, directory):
        return False
    # 东川城投公司要…,市大数据中心协助…: a subject that is no department is a subject all the same
    return head >= len(masked) or bool(
        _STRICT.match(masked, head) or _WITH.match(masked, head) or _VERB_START.match(masked, head)
    )


def _with_decision_labels(text: str, labels: str, found: list, directory: Directory) -> list:
    """Owners of one item of a decision whose owner labels follow its last item.

    An item with a subject of its own keeps it (县财政局负责落实资金 stays 县财政局's, even when the
    label names 县财政局 to support); when that subject is among the labels' leads, the item is part
    of what the labels describe: the last item (they follow it) takes them whole, an earlier one
    takes the supporting units. An item without a subject takes the labels.
    """
    last = text.endswith(labels)
    own = find_departments(text[: len(text) - len(labels)] if last else text, directory)
    labelled = find_departments(labels, directory)
    if not own:
        return labelled
    leads = {_key(m, k) for m, k, _ in own if m.role == LEAD}
    if leads and leads <= {_key(m, k) for m, k, _ in labelled if m.role == LEAD}:
        if last:
            return found
        return own + [f for f in labelled if f[0].role == SUPPORT and _key(f[0], f[1]) not in leads]
    return own


def _carry_key(found: tuple) -> str:
    mention, known, *_ = found
    return _key(mention, known)


def _dedupe(refs: tuple[DepartmentRef, ...]) -> tuple[DepartmentRef, ...]:
    out, seen = [], set()
    for r in refs:
        key = r.name or r.mention
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)
