"""Benchmark the importer's parsing: seconds and peak memory for the seed and generated documents.

Run from the project root:

    .venv/bin/python -m tests.bench.import_speed            # all cases, each in a fresh process
    .venv/bin/python -m tests.bench.import_speed --size-mb 2 # a smaller generated yearbook
    .venv/bin/python -m tests.bench.import_speed --jobs 1    # in one process (default: one a core)
    .venv/bin/python -m tests.bench.import_speed --write-samples DIR  # save the generated texts

Each case runs in its own process so that the peak resident size (getrusage maxrss) is its own.
Time is measured without tracemalloc (which slows Python down); the peak of traced allocations comes
from a second, traced run of the same case. The generated documents are deterministic: a seeded
random generator fills sentence templates of the four layouts (yearbook entries, a news report,
minutes, a task-split document) with departments from the bundled directory, invented departments,
dates, numbers, deadlines and targets, with page breaks, stray spaces and web chrome mixed in.
No assertions on time: this prints a table.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from importer.directory import load_bundled_directory
from importer.numerals import int_to_cn
from importer.read import normalize

ROOT = Path(__file__).resolve().parents[2]
SEED_CANDIDATES = (
    ROOT / "tracker" / "data" / "seed" / "shengzhou-yearbook-2018-government.txt",
    ROOT.parent / "shared" / "seed" / "shengzhou-yearbook-2018-government.txt",
)
CASES = ("seed", "news", "minutes", "tasks", "yearbook")

# --- generated text --------------------------------------------------------------------------

GROUPS = (
    "各级各部门",
    "全市上下",
    "各乡镇(街道)",
    "相关部门",
    "各有关部门",
    "全市各级各部门",
    "各部门",
    "市政府系统",
)
INVENTED = (
    "市城乡融合发展中心",
    "市数字经济促进中心",
    "市越剧发展中心",
    "市花木产业办",
    "市茶产业服务中心",
    "区住建局",
)
TOPICS = (
    "城中村改造", "小城镇环境综合整治", "农村生活污水治理", "垃圾分类", "安全生产", "消防安全", "招商选资",
    "工业有效投资", "传统产业改造提升", "数字化改革", "营商环境优化", "乡村振兴", "共同富裕示范区建设",
    "创建全国文明城市", "大气污染防治", "五水共治", "耕地保护", "土地开发", "民办教育", "城乡公交一体化",
    "养老服务体系", "医共体建设", "防汛防台", "森林防火", "领带产业", "厨具产业", "电机产业", "越剧小镇",
)  # fmt: skip
VERBS = (
    "加快推进", "全面落实", "切实加强", "统筹推进", "扎实做好", "进一步完善", "持续深化", "严格落实", "认真组织",
    "大力推进", "稳步推进", "着力抓好",
)  # fmt: skip
OBJECTS = (
    "项目审批服务", "政策宣传解读", "资金保障", "监督检查", "考核评价机制", "问题整改", "风险排查", "要素保障",
    "工作方案", "长效管理机制", "基础台账", "应急预案", "信息报送", "宣传发动",
)  # fmt: skip
RESULTS = (
    "确保各项工作任务落到实处", "形成工作合力", "推动工作取得实效", "确保不发生较大以上事故", "切实提高群众满意度",
    "为全市高质量发展提供有力保障",
)  # fmt: skip
DEADLINES = (
    "年底前", "今年年底", "年内", "上半年", "下半年", "三季度", "一季度", "两年内", "三年内", "30天内", "15日内",
    "6个月内", "如期", "尽快", "按期", "限时", "第一时间", "长期坚持", "每月", "每季度",
)  # fmt: skip
UNITS = (("亩", "土地开发"), ("家", "上市公司"), ("个", "重点项目"), ("公里", "农村公路"), ("户", "农户"))
PEOPLE = ("张伟", "王芳", "李强", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴涛")
CONTEXT = (
    "会议听取了关于{topic}工作情况的汇报。",
    "会议审议了《嵊州市{topic}实施方案》。",
    "会议认为,{topic}是贯彻落实上级决策部署的具体举措,充分考虑了必要性、可行性与科学性。",
    "会议通报了{topic}工作进展情况,1月至{m}月,全市完成投资{f}亿元,同比增长{p}%。",
    "会议传达学习了绍兴市{topic}工作会议精神。",
)


class Generator:
    """Deterministic filler of sentence templates: same seed, same text."""

    def __init__(self, seed: int = 20170101):
        self.r = random.Random(seed)
        real = [e for e in load_bundled_directory() if not e.group and e.kind in ("city", "zone", "township")]
        self.departments = [e.name for e in real] + [a for e in real for a in e.aliases if a.startswith("市")]
        self.departments += list(INVENTED)

    def pick(self, seq):
        return self.r.choice(seq)

    def dept(self) -> str:
        return self.pick(GROUPS) if self.r.random() < 0.35 else self.pick(self.departments)

    def number(self) -> str:
        return str(self.r.randint(2, 9999))

    def deadline(self) -> str:
        if self.r.random() < 0.3:
            return f"{self.r.randint(1, 12)}月底前"
        if self.r.random() < 0.1:
            return f"到{self.r.randint(2018, 2025)}年"
        return self.pick(DEADLINES)

    def target(self) -> str:
        n = self.r.randint(3, 95)
        return self.pick(
            (
                f"全市PM2.5年均浓度控制在{n}微克/立方米以下",
                f"空气质量优良率达到{n}%以上",
                f"上市公司达{n % 9 + 2}家以上,力争{n % 9 + 4}家",
                f"实施{self.pick(UNITS)[1]}{n * 100}{self.pick(UNITS)[0]}",
                f"年产值超{n * 10}亿元",
            )
        )

    def directive(self, with_subject: bool = True) -> str:
        subject = self.dept() if with_subject else ""
        v1, v2 = self.r.sample(VERBS, 2)
        topic, obj = self.pick(TOPICS), self.pick(OBJECTS)
        form = self.r.randrange(6) if with_subject else self.pick((0, 1, 4, 5))
        if form == 0:
            return f"{subject}要{v1}{topic}{obj},{v2}{self.pick(OBJECTS)},{self.pick(RESULTS)}"
        if form == 1:
            return f"{subject}要在{self.deadline()}完成{topic}{obj},确保{self.target()}"
        if form == 2:
            other = self.dept()
            return f"{subject}牵头,{other}配合,{self.deadline()}{v1}{topic}{obj}"
        if form == 3:
            return f"{subject}、{self.dept()}要相互配合,合力推进{topic},做到{obj}到位、责任到位"
        if form == 4:
            return f"要{v1}{topic}{obj},力争{self.target()}"
        return f"{subject}须{v1}{obj},{self.deadline()}报送{topic}工作进展"

    def context(self) -> str:
        return self.pick(CONTEXT).format(
            topic=self.pick(TOPICS),
            m=self.r.randint(2, 11),
            f=self.r.randint(10, 900) / 10,
            p=self.r.randint(1, 40),
        )

    def requirements(self) -> str:
        cue = self.pick(("会议要求", "会议强调", "会议明确", "会议指出"))
        if self.r.random() < 0.4:
            parts = [f"{'一二三四五'[i]}是{self.directive(i == 0)}" for i in range(self.r.randint(2, 4))]
            return f"{cue}:" + ";".join(parts) + "。"
        sentences = [self.directive(True)] + [self.directive(False) for _ in range(self.r.randint(0, 3))]
        return (
            f"{cue},{sentences[0]};" + ";".join(sentences[1:]) + "。"
            if len(sentences) > 1
            else f"{cue},{sentences[0]}。"
        )

    def messy(self, paragraph: str) -> str:
        """Add what real files have: a page break mid-sentence, spaces around numbers, full-width commas."""
        if self.r.random() < 0.15 and len(paragraph) > 80:
            cut = self.r.randrange(40, len(paragraph) - 20)
            if paragraph[cut - 1] not in "。;:,、" and paragraph[cut] not in "。;:,、":
                page = f"\n\n- {self.r.randint(1, 400)} -\n\n" if self.r.random() < 0.3 else "\n\n"
                paragraph = paragraph[:cut] + page + paragraph[cut:]
        if self.r.random() < 0.2:
            paragraph = paragraph.replace(",", "，", 3)
        if self.r.random() < 0.2:
            paragraph = paragraph.replace("月", " 月 ", 2)
        return paragraph

    # --- the four layouts --------------------------------------------------------------------

    def yearbook_entry(self, heading: str, number: int, session: int) -> str:
        m, d = self.r.randint(1, 12), self.r.randint(1, 28)
        if heading == "全体会议":
            title = f"{int_to_cn(session)}届{int_to_cn(number % 6 + 1)}次全体会议"
        elif heading == "常务会议":
            title = self.pick((f"第{number}次常务会议", f"{int_to_cn(session)}届政府第 {number} 次常务会议"))
        else:
            title = (
                f"全市{self.pick(TOPICS)}{self.pick(('工作会议', '推进会', '部署会议', '工作领导小组会议'))}"
            )
        body = [f"【{title}】 {m} 月 {d} 日,市政府召开{title}。"]
        for _ in range(self.r.randint(1, 3)):
            body.append(self.context())
            body.append(self.requirements())
        if self.r.random() < 0.2:
            body.append("会议就有关具体事项明确如下:")
            for i in range(1, self.r.randint(2, 4)):
                body.append(
                    f"{i}.{self.directive(False)}(责任单位:{self.dept()};完成时限:{self.deadline()})。"
                )
        return self.messy("".join(body))

    def work_report(self) -> str:
        topic = self.pick(TOPICS)
        parts = [f"{'一二三'[i]}是{self.pick(VERBS)}{self.pick(OBJECTS)}" for i in range(3)]
        return (
            f"【{topic}】 {self.r.randint(2015, 2024)}年,{self.dept()}"
            + ";".join(parts)
            + f",全年完成{self.number()}件。"
        )

    def yearbook(self, size_bytes: int) -> str:
        out = _Sized()
        number, session = 1, 15
        while out.size < size_bytes:
            out.add("市政府\n\n综述\n")
            for _ in range(self.r.randint(2, 5)):
                out.add(self.work_report() + "\n")
            for heading in ("全体会议", "常务会议", "专题会议"):
                out.add(heading + "\n")
                for _ in range(self.r.randint(2, 25)):
                    out.add(self.yearbook_entry(heading, number, session) + "\n")
                    number += 1
            if number > 80:
                number, session = 1, session + 1 if session < 19 else 15
            out.add(f"({self.pick(PEOPLE)})\n")
        return out.text("\n")

    def news(self) -> str:
        n, m, d = self.r.randint(1, 99), self.r.randint(1, 12), self.r.randint(1, 28)
        lines = [
            "首页 > 新闻中心 > 政务动态",
            f"市政府召开第{n}次常务会议研究部署{self.pick(TOPICS)}等工作",
            f"发布时间:2023-{m:02d}-{d:02d} 10:21 来源:嵊州新闻网 浏览次数:{self.number()}",
            "【字体:大 中 小】",
            f"{m}月{d}日,市长{self.pick(PEOPLE)}主持召开市政府第{n}次常务会议,研究{self.pick(TOPICS)}等工作。",
        ]
        for _ in range(self.r.randint(3, 6)):
            lines.append(
                self.messy(f"会议研究了《嵊州市{self.pick(TOPICS)}实施方案》。" + self.requirements())
            )
        lines += ["分享到:微信 微博 QQ空间", "【打印】 【关闭窗口】"]
        return "\n".join(lines) + "\n"

    def minutes(self, size_bytes: int) -> str:
        lines = [
            "嵊州市人民政府常务会议纪要",
            f"〔2023〕{self.r.randint(1, 40)}号",
            "",
            f"2023年{self.r.randint(1, 12)}月{self.r.randint(1, 28)}日,市长{self.pick(PEOPLE)}主持召开市政府第"
            f"{self.r.randint(1, 60)}次常务会议。现将会议议定事项纪要如下:",
        ]
        out = _Sized(lines)
        topic_no = 0
        while out.size < size_bytes:
            topic_no += 1
            out.add(f"{int_to_cn(topic_no % 99 + 1)}、关于{self.pick(TOPICS)}有关事项")
            out.add(self.context() + f"会议原则同意《{self.pick(TOPICS)}实施方案》。" + self.requirements())
            out.add("会议就有关具体事项明确如下:")
            for i in range(1, self.r.randint(3, 7)):
                out.add(f"{i}.{self.directive(False)}。(责任单位:{self.dept()};完成时限:{self.deadline()})")
            out.add("")
        out.add(f"出席:{'、'.join(self.r.sample(PEOPLE, 5))}")
        return out.text("\n") + "\n"

    def tasks(self, size_bytes: int) -> str:
        out = _Sized(["2023年市政府重点工作任务分解", ""])
        section, task = 0, 0
        while out.size < size_bytes:
            section += 1
            out.add(f"{int_to_cn(section % 99 + 1)}、{self.pick(TOPICS)}")
            for _ in range(self.r.randint(3, 12)):
                task += 1
                body = f"{task}.{self.pick(VERBS)}{self.pick(TOPICS)}{self.pick(OBJECTS)},力争{self.target()}"
                if self.r.random() < 0.5:
                    out.add(body + "。")
                    out.add(f"牵头单位:{self.dept()}")
                    out.add(f"配合单位:{self.dept()}、{self.dept()}")
                    out.add(f"完成时限:{self.deadline()}")
                elif self.r.random() < 0.5:
                    out.add(
                        f"{body}。(牵头单位:{self.dept()};配合单位:各乡镇(街道);完成时限:{self.deadline()})"
                    )
                else:
                    out.add(f"{body}。(牵头单位:{self.dept()},下同)")
            out.add("")
        return out.text("\n") + "\n"


class _Sized:
    """Lines of a text being generated, with their size in UTF-8 bytes kept as they are added."""

    def __init__(self, lines: list[str] | None = None):
        self.lines = list(lines or [])
        self.size = sum(len(x.encode()) + 1 for x in self.lines)

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.size += len(line.encode()) + 1

    def text(self, sep: str) -> str:
        return sep.join(self.lines)


def generated(case: str, size_mb: float) -> str:
    """Return the text of a generated case, the same on every run."""
    g = Generator()
    if case == "news":
        return g.news()
    if case == "minutes":
        return g.minutes(int(size_mb * 1024 * 1024 / 10))
    if case == "tasks":
        return g.tasks(int(size_mb * 1024 * 1024 / 10))
    return g.yearbook(int(size_mb * 1024 * 1024))


def case_text(case: str, size_mb: float) -> tuple[str, int | None]:
    if case == "seed":
        for path in SEED_CANDIDATES:
            if path.exists():
                return path.read_text(encoding="utf-8"), 2017
        raise SystemExit("seed text not found in tracker/data/seed or ../shared/seed")
    return generated(case, size_mb), 2023


# --- measuring ---------------------------------------------------------------------------------


def measure(case: str, size_mb: float, jobs: int) -> dict:
    """Normalise and parse one case; return its timings, counts and peak memory."""
    from importer.pipeline import parse_text

    raw, year = case_text(case, size_mb)
    directory = load_bundled_directory()
    gc.collect()
    c0, t0 = _cpu(), time.perf_counter()
    text = normalize(raw)
    c1, t1 = _cpu(), time.perf_counter()
    doc = parse_text(text, source=f"{case}.txt", year=year, directory=directory, normalized=True, jobs=jobs)
    c2, t2 = _cpu(), time.perf_counter()
    maxrss_kb = max(
        resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    del doc, text
    gc.collect()
    tracemalloc.start()  # in this process only: the traced run parses in one
    text = normalize(raw)
    traced_doc = parse_text(text, source=f"{case}.txt", year=year, directory=directory, normalized=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "case": case,
        "jobs": jobs,
        "mb": len(raw.encode()) / 1024 / 1024,
        "normalize_s": t1 - t0,
        "parse_s": t2 - t1,
        "total_s": t2 - t0,
        "parse_cpu_s": c2 - c1,
        "total_cpu_s": c2 - c0,
        "meetings": len(traced_doc.meetings),
        "items": sum(len(m.items) for m in traced_doc.meetings),
        "peak_traced_mb": peak / 1024 / 1024,
        "maxrss_mb": maxrss_kb / 1024,
    }


def _cpu() -> float:
    """Processor seconds of this process and of the parsing processes it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_in_subprocess(case: str, size_mb: float, jobs: int) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "tests.bench.import_speed",
        "--case",
        case,
        "--size-mb",
        str(size_mb),
        "--jobs",
        str(jobs),
        "--json",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"case": case, "error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout)


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'case':10} {'jobs':>4} {'MB':>7} {'normalize s':>12} {'parse s':>9} {'total s':>9} {'total cpu s':>12}"
        f" {'meetings':>9} {'items':>7} {'peak traced MB':>15} {'maxrss MB':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        if "error" in r:
            print(f"{r['case']:10} error: {r['error']}")
            continue
        print(
            f"{r['case']:10} {r['jobs']:4d} {r['mb']:7.2f} {r['normalize_s']:12.3f} {r['parse_s']:9.3f} {r['total_s']:9.3f}"
            f" {r['total_cpu_s']:12.3f} {r['meetings']:9d} {r['items']:7d} {r['peak_traced_mb']:15.1f} {r['maxrss_mb']:10.1f}"
        )
    print(
        "normalize = importer.read.normalize; parse = importer.pipeline.parse_text(normalized=True, jobs=N),"
    )
    print("as the import command runs them (--jobs, default one a processor core; a text under 400,000")
    print("characters is parsed in one). Seconds are wall clock; cpu is process time, the parsing processes'")
    print("included, steadier on a busy machine. maxrss is the largest process, Python and libraries")
    print("included; peak traced is tracemalloc's, of a second run in one process.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES, help="measure one case in this process")
    parser.add_argument(
        "--size-mb", type=float, default=10.0, help="size of the generated yearbook (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print the measurement as JSON (with --case)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="parsing processes, as import_meetings --jobs"
    )
    parser.add_argument("--write-samples", metavar="DIR", help="write the generated texts to DIR and stop")
    args = parser.parse_args(argv)
    if args.write_samples:
        out = Path(args.write_samples)
        out.mkdir(parents=True, exist_ok=True)
        for case in CASES[1:]:
            (out / f"{case}.txt").write_text(generated(case, args.size_mb), encoding="utf-8")
        print(f"wrote {', '.join(CASES[1:])} to {out}")
        return
    if args.case:
        result = measure(args.case, args.size_mb, args.jobs)
        print(json.dumps(result) if args.json else result)
        return
    print_table([run_in_subprocess(case, args.size_mb, args.jobs) for case in CASES])


if __name__ == "__main__":
    main()
