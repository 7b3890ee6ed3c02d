"""Every column of every data file, declared once.

The pandera schemas below are the single source of truth for the data contract:
the loader parses cells by their declared dtype, validation runs their checks, the
app takes labels and units from their metadata, and `data/README.md` (the data
dictionary) is generated from them (`python -m dashboard.dictionary`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

# GB/T 2260 codes of the 31 mainland provincial-level divisions; Hong Kong (810000),
# Macao (820000) and Taiwan (710000) are drawn on the map but carry no data.
MAINLAND_ADCODES: tuple[int, ...] = (
    110000, 120000, 130000, 140000, 150000, 210000, 220000, 230000, 310000, 320000, 330000,
    340000, 350000, 360000, 370000, 410000, 420000, 430000, 440000, 450000, 460000, 500000,
    510000, 520000, 530000, 540000, 610000, 620000, 630000, 640000, 650000,
)  # fmt: skip
NOT_COVERED_ADCODES: tuple[int, ...] = (710000, 810000, 820000)

REGIONS: tuple[str, ...] = ("eastern", "central", "western", "northeast")
GROUPS: tuple[str, ...] = (*REGIONS, "border")
GRADES: tuple[str, ...] = ("official", "media", "repost", "secondary")
# Order of preference when one figure has several sources.
GRADE_RANK: dict[str, int] = {grade: rank for rank, grade in enumerate(GRADES)}

# What a target counts. A figure is only ever compared with figures of the same basis.
COMPUTE_BASES: tuple[str, ...] = ("total", "intelligent", "supercomputing", "service")
INDUSTRY_BASES: tuple[str, ...] = ("core", "whole", "core_firms_revenue")

DOCUMENT_KINDS: tuple[str, ...] = (
    "ai_plus_plan",
    "fyp15_outline",
    "ai_industry_plan",
    "compute_plan",
    "data_plan",
    "measures",
    "work_report",
    "other",
)
DOCUMENT_STATUSES: tuple[str, ...] = ("final", "draft")


@dataclass(frozen=True)
class InstrumentKind:
    """One kind of money instrument: what its amount counts and in which unit.

    `oslo` is its type in the OECD/Eurostat Oslo Manual 2018, Table 7.4 ("types of
    government support for innovation"), so the records read like the OECD's. `per`
    lists the normalisations that mean something for the province view: a fund per
    resident does, the most one project may receive per resident does not.
    """

    id: str
    label_en: str
    label_zh: str
    description: str
    description_zh: str
    unit: str  # the value of instruments.csv's unit column for this kind
    unit_en: str
    unit_zh: str
    oslo: str
    upper: float  # a larger amount is a unit mistake
    per: tuple[str, ...] = ()


# Oslo Manual 2018, Table 7.4: the field's own types of government support for innovation.
OSLO_TYPES: dict[str, tuple[str, str]] = {
    "grants": ("Grants and subsidies", "补助与补贴"),
    "vouchers": ("Innovation vouchers", "创新券"),
    "tax": ("Tax subsidies", "税收优惠"),
    "loans": ("Loans", "贷款"),
    "guarantees": ("Loan guarantees", "贷款担保"),
    "equity": ("Equity injections", "股权投资"),
    "prizes": ("Inducement prizes", "奖励"),
    "in_kind": ("In-kind services", "实物与服务支持"),
}

INSTRUMENT_KINDS: dict[str, InstrumentKind] = {
    kind.id: kind
    for kind in (
        InstrumentKind(
            "fund", "AI industry fund", "人工智能产业基金",
            "an AI or AI-related industry fund's total (target) size",
            "人工智能或人工智能相关产业基金的目标总规模",
            "cny_bn", "bn yuan", "十亿元", "equity", 1000, ("capita", "gdp"),
        ),
        InstrumentKind(
            "project_cap", "Per-project subsidy cap", "单个项目最高补助",
            "the most one project can receive", "单个项目可获得的最高金额",
            "cny_mn", "mn yuan", "百万元", "grants", 10000,
        ),
        InstrumentKind(
            "firm_award", "One-off award to a firm", "企业一次性奖励",
            "a one-off award to a firm for an achievement: a registered model, a listing, "
            "a benchmark scenario",
            "企业取得某项成果时获得的一次性奖励，如大模型完成备案、企业上市、打造标杆场景",
            "cny_mn", "mn yuan", "百万元", "prizes", 10000,
        ),
        InstrumentKind(
            "voucher_budget", "Yearly voucher budget", "算力券等年度总额",
            "a yearly total for compute, model or data vouchers",
            "算力券、模型券或数据券的年度总额",
            "cny_mn", "mn yuan/yr", "百万元/年", "vouchers", 100000, ("capita", "gdp"),
        ),
        InstrumentKind(
            "voucher_cap", "Voucher cap per firm", "单个企业券额上限",
            "the most one firm can receive from vouchers in a year",
            "单个企业一年内可获得的最高券额",
            "cny_mn", "mn yuan/yr", "百万元/年", "vouchers", 10000,
        ),
        InstrumentKind(
            "compute_subsidy", "Computing-power subsidy cap", "算力建设与使用补贴上限",
            "the most one firm or project can receive for building or buying computing "
            "power, interest subsidies included",
            "单个企业或项目建设或购买算力可获得的最高补贴，含贴息",
            "cny_mn", "mn yuan", "百万元", "grants", 10000,
        ),
        InstrumentKind(
            "service_subsidy", "Model or data service subsidy cap", "模型与数据服务补贴上限",
            "the most one firm can receive for buying model or data services (model API calls, "
            "data products)",
            "单个企业购买模型或数据服务（模型 API 调用、数据产品）可获得的最高补贴",
            "cny_mn", "mn yuan", "百万元", "grants", 10000,
        ),
        InstrumentKind(
            "application_award", "Application scenario award", "应用场景奖励",
            "the most one AI application scenario or flagship case can receive",
            "单个人工智能应用场景或标杆案例可获得的最高奖励",
            "cny_mn", "mn yuan", "百万元", "prizes", 10000,
        ),
        InstrumentKind(
            "lab_award", "Lab or platform award", "创新平台支持",
            "the most one new lab, platform or centre can receive",
            "单个新建实验室、平台或中心可获得的最高支持",
            "cny_mn", "mn yuan", "百万元", "grants", 10000,
        ),
        InstrumentKind(
            "dataset_award", "Dataset award", "高质量数据集奖励",
            "the most one high-quality dataset can receive",
            "单个高质量数据集可获得的最高奖励",
            "cny_mn", "mn yuan", "百万元", "grants", 10000,
        ),
    )
}  # fmt: skip
INSTRUMENT_UNITS: tuple[str, ...] = ("cny_bn", "cny_mn")

# Where an instrument was set, and the OECD's "level of government" it belongs to.
INSTRUMENT_LEVELS: dict[str, str] = {
    "province": "regional",
    "city": "local",
    "district": "local",
    "zone": "local",
}
_INSTRUMENT_ID = r"^[a-z]{2}-[a-z0-9_]+(-[a-z0-9_]+)*$"

# The State Council's opinion on "AI+" (国发〔2025〕11号): provinces' plans answer it.
NATIONAL_OPINION_DATE = "2025-08-21"
_DATE_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"
_DOCUMENT_ID = r"^[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*$"
_DOCUMENT_ID_RULE = "must be a document id like js-ai-plus-2025 (a-z, 0-9, hyphens)"

MAX_FILE_BYTES = 5_000_000  # the real files are ~100 KB; anything near this is a mistake

_NO_MARKUP = r"<\s*/?\s*[A-Za-z!?]"  # an HTML/XML tag opening, e.g. <script> or </b>


# Chinese readers count money in 万 and 亿: a figure stored in bn yuan is shown as 亿元
# (x10), one in mn yuan as 万元 (x100). The stored unit (unit_zh) stays in the dictionary.
_ZH_DISPLAY: dict[str, tuple[str, float]] = {
    "十亿元": ("亿元", 10.0),
    "百万元": ("万元", 100.0),
    "百万元/年": ("万元/年", 100.0),
    "百万人": ("万人", 100.0),
}


def _meta(
    label_zh: str, unit: str = "", unit_zh: str = "", *, description_zh: str, **extra: Any
) -> dict[str, Any]:
    # The Chinese description is declared beside the English one (pandera's `description`)
    # so the two cannot drift apart; the dictionary shows it in the Chinese mode.
    display, scale = _ZH_DISPLAY.get(unit_zh, (unit_zh, 1.0))
    return {
        "label_zh": label_zh,
        "description_zh": description_zh,
        "unit": unit,
        "unit_zh": unit_zh,
        "display_unit_zh": display,
        "zh_scale": scale,
        **extra,
    }


def _text(
    title: str,
    description: str,
    description_zh: str,
    label_zh: str,
    *,
    nullable: bool = False,
    max_len: int = 2000,
) -> pa.Column:
    """Free text: never HTML, never blank when required, bounded length."""
    return pa.Column(
        str,
        checks=[
            pa.Check.str_length(1, max_len, error=f"must be 1 to {max_len} characters"),
            pa.Check(
                lambda s: ~s.str.contains(_NO_MARKUP, regex=True),
                error="must be plain text, not HTML markup",
            ),
        ],
        nullable=nullable,
        title=title,
        description=description,
        metadata=_meta(label_zh, description_zh=description_zh),
    )


def _amount(
    title: str,
    description: str,
    description_zh: str,
    label_zh: str,
    unit: str,
    unit_zh: str,
    upper: float,
    *,
    figure: bool = True,
    year_column: str | None = None,
    basis_column: str | None = None,
    per: tuple[str, ...] = ("capita", "gdp"),
    national: float | None = None,
) -> pa.Column:
    """A published figure: blank when no figure was found, else strictly positive.

    `figure` marks a policy commitment (mapped, screened, cited); GDP and population
    are context. `per` lists the normalisations that mean something for the figure:
    a fund per resident does, a per-project subsidy cap per resident does not.
    A target names the column holding its year and, where targets count different
    things, the column holding its basis: both are required when the figure is given.
    `national` is the national target the figure answers, drawn as a reference.
    """
    return pa.Column(
        float,
        checks=[
            pa.Check.gt(0, error="must be greater than 0 (leave blank when unknown)"),
            pa.Check.le(upper, error=f"must be at most {upper:g} {unit} (check the unit)"),
        ],
        nullable=True,
        title=title,
        description=description,
        metadata=_meta(
            label_zh,
            unit,
            unit_zh,
            description_zh=description_zh,
            figure=figure,
            year_column=year_column,
            basis_column=basis_column,
            per=per,
            national=national,
        ),
    )


def _basis(
    title: str, description: str, description_zh: str, label_zh: str, vocabulary: tuple[str, ...]
) -> pa.Column:
    """What a target counts, from a controlled vocabulary; blank when the target is."""
    return pa.Column(
        str,
        checks=pa.Check.isin(vocabulary, error=f"must be one of {', '.join(vocabulary)}"),
        nullable=True,
        title=title,
        description=description,
        metadata=_meta(label_zh, description_zh=description_zh, vocabulary=vocabulary),
    )


def _date(
    title: str, description: str, description_zh: str, label_zh: str, *, nullable: bool = False
) -> pa.Column:
    return pa.Column(
        str,
        checks=[
            pa.Check.str_matches(_DATE_PATTERN, error="must be YYYY-MM-DD or YYYY-MM"),
            pa.Check(_is_real_date, error="must be a real calendar date"),
        ],
        nullable=nullable,
        title=title,
        description=description,
        metadata=_meta(label_zh, description_zh=description_zh),
    )


def _year(title: str, description: str, description_zh: str, label_zh: str) -> pa.Column:
    return pa.Column(
        "Int64",
        checks=pa.Check.in_range(2024, 2035, error="must be a year from 2024 to 2035"),
        nullable=True,
        title=title,
        description=description,
        metadata=_meta(label_zh, "year", "年", description_zh=description_zh),
    )


def _flag(title: str, description: str, description_zh: str, label_zh: str) -> pa.Column:
    return pa.Column(
        "boolean",
        title=title,
        description=description,
        metadata=_meta(label_zh, description_zh=description_zh),
    )


def _adcode(description: str, description_zh: str) -> pa.Column:
    return pa.Column(
        "Int64",
        checks=pa.Check.isin(
            MAINLAND_ADCODES, error="must be a mainland province's GB/T 2260 code"
        ),
        title="Province code",
        description=description,
        metadata=_meta("行政区划代码", description_zh=description_zh),
    )


def _citation_columns() -> dict[str, pa.Column]:
    """The columns that make a row a citation (shared by sources, cities, strategies)."""
    return {
        "source_title": _text(
            "Source", "Title of the cited document or article.", "所引文件或文章的标题。", "来源"
        ),
        "publisher": _text(
            "Publisher", "Who published the cited page.", "所引网页的发布方。", "发布者"
        ),
        "url": _url_column(),
        "published": _date(
            "Published",
            "Publication date of the cited page, YYYY-MM-DD or YYYY-MM.",
            "所引网页的发布日期，格式为 YYYY-MM-DD 或 YYYY-MM。",
            "发布日期",
        ),
        "quote": _text(
            "Quote",
            "Verbatim passage, in the original language, that states the figure.",
            "载明该数值的原文段落，按原语言逐字摘录。",
            "原文",
        ),
        "grade": _grade_column(),
    }


def _url_column() -> pa.Column:
    return pa.Column(
        str,
        checks=pa.Check.str_matches(
            r"^https?://[^\s<>\"']+$", error="must be an http:// or https:// address"
        ),
        title="Link",
        description="Address of the cited page; http or https only.",
        metadata=_meta("链接", description_zh="所引网页的地址，仅限 http 或 https。"),
    )


def _grade_column() -> pa.Column:
    return pa.Column(
        str,
        checks=pa.Check.isin(GRADES, error=f"must be one of {', '.join(GRADES)}"),
        title="Source grade",
        description=(
            "official: the issuer's own site or document; media: a named outlet's own page; "
            "repost: a copy on another site; secondary: a third-party dataset or summary."
        ),
        metadata=_meta(
            "来源等级",
            description_zh=(
                "official（官方）：发文机关自身的网站或文件；media（媒体）：具名媒体自身的页面；"
                "repost（转载）：其他网站上的转载；secondary（二手）：第三方数据集或综述。"
            ),
        ),
    )


def _is_real_date(published: pd.Series) -> pd.Series:
    """True for real calendar dates; values of the wrong shape are left to the format check."""
    shaped = published.str.fullmatch(r"\d{4}-\d{2}(-\d{2})?")
    padded = published.where(published.str.len() == 10, published + "-01")
    real = pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce").notna()
    return real | ~shaped


regions_file_schema = pa.DataFrameSchema(
    {
        "adcode": pa.Column(
            "Int64",
            checks=pa.Check.isin(
                MAINLAND_ADCODES, error="must be a mainland province's GB/T 2260 code"
            ),
            unique=True,
            report_duplicates="exclude_first",
            title="Province code",
            description="6-digit GB/T 2260 code of the provincial-level division, e.g. 340000.",
            metadata=_meta(
                "行政区划代码",
                description_zh="省级行政区的 6 位 GB/T 2260 行政区划代码，例如 340000。",
            ),
        ),
        "name_en": _text(
            "Province",
            "English (pinyin) short name, e.g. Anhui.",
            "英文（拼音）简称，例如 Anhui。",
            "省份(英文)",
            max_len=40,
        ),
        "name_zh": _text(
            "Province (Chinese)",
            "Official Chinese name, e.g. 安徽省.",
            "中文规范名称，例如安徽省。",
            "省份",
            max_len=20,
        ),
        "region": pa.Column(
            str,
            checks=pa.Check.isin(REGIONS, error=f"must be one of {', '.join(REGIONS)}"),
            title="Region",
            description="National Bureau of Statistics four-region scheme.",
            metadata=_meta(
                "区域", description_zh="按国家统计局东部、中部、西部、东北四大地区划分。"
            ),
        ),
        "border": _flag(
            "Land border",
            "true if it has an international land border.",
            "有陆地国界时为 true。",
            "陆地边境",
        ),
        "compute_hub": _flag(
            "Computing hub",
            "true if it hosts or shares a national computing hub node of the 2022 "
            "East Data, West Computing plan.",
            "境内设有或与他省共享 2022 年“东数西算”工程的全国一体化算力网络国家枢纽节点时为 true。",
            "国家算力枢纽",
        ),
        "datasets_target": pa.Column(
            "Int64",
            checks=[
                pa.Check.gt(0, error="must be greater than 0 (leave blank when unknown)"),
                pa.Check.le(100000, error="must be at most 100000 datasets"),
            ],
            nullable=True,
            title="High-quality datasets target",
            description=(
                "Number of high-quality datasets the province plans to build; the source row's "
                "note gives the wording (industry, public or all datasets)."
            ),
            metadata=_meta(
                "高质量数据集目标",
                "datasets",
                "个",
                description_zh=(
                    "该省计划建设的高质量数据集数量；具体表述（行业数据集、公共数据集或全部"
                    "数据集）见 sources.csv 对应来源行的备注。"
                ),
                figure=True,
                year_column="datasets_target_year",
                # Some plans state a count without a year: shown as "year not stated".
                year_required=False,
                basis_column=None,
                per=("capita", "gdp"),
                national=None,
            ),
        ),
        "datasets_target_year": _year(
            "Datasets target year",
            "Year by which the datasets target applies.",
            "数据集目标设定的达成年份。",
            "数据集目标年份",
        ),
        "compute_target_eflops": _amount(
            "Computing-power target",
            "Computing power the province aims for, on the basis in compute_target_basis "
            "(1 EFLOPS = 1000 PFLOPS, 1000 'P').",
            "该省计划达到的算力规模，统计口径见 compute_target_basis"
            "（1 EFLOPS = 1000 PFLOPS，即 1000P）。",
            "算力规模目标",
            "EFLOPS",
            "EFLOPS",
            10000,
            year_column="compute_target_year",
            basis_column="compute_target_basis",
            per=(),
        ),
        "compute_target_year": _year(
            "Computing-power target year",
            "Year by which the computing target applies.",
            "算力目标设定的达成年份。",
            "算力目标年份",
        ),
        "compute_target_basis": _basis(
            "Computing-power target basis",
            "What the computing target counts: total (general + intelligent + supercomputing, "
            "算力规模), intelligent (智能算力 only), supercomputing (超算 only), service (a "
            "service or cloud scale, 智算服务规模).",
            "算力目标的统计口径：total（通用算力、智能算力与超算算力合计，即算力规模）、"
            "intelligent（仅智能算力）、supercomputing（仅超算算力）、service（服务或云的规模，"
            "即智算服务规模）。",
            "算力目标口径",
            COMPUTE_BASES,
        ),
        "compute_reached_eflops": _amount(
            "Computing power in operation",
            "Computing power the province reports as built, on the basis in "
            "compute_reached_basis, at the end of compute_reached_year.",
            "该省报告的已建成算力规模，统计口径见 compute_reached_basis，统计时点为 "
            "compute_reached_year 年末。",
            "已建成算力规模",
            "EFLOPS",
            "EFLOPS",
            10000,
            figure=False,
            year_column="compute_reached_year",
            basis_column="compute_reached_basis",
            per=(),
        ),
        "compute_reached_year": _year(
            "Computing power in operation: year",
            "Year at whose end the computing power in operation was reported.",
            "所报告的已建成算力规模以该年年末为统计时点。",
            "已建成算力年份",
        ),
        "compute_reached_basis": _basis(
            "Computing power in operation: basis",
            "What the reported computing power counts (same vocabulary as the target).",
            "所报告算力的统计口径（取值与算力目标口径相同）。",
            "已建成算力口径",
            COMPUTE_BASES,
        ),
        "ai_industry_target_cny_bn": _amount(
            "AI industry scale target",
            "Target scale of the AI industry, on the basis in ai_industry_target_basis: core "
            "(核心产业规模), whole (人工智能产业规模) or core_firms_revenue (revenue of core AI "
            "firms). 1 亿元 = 0.1 bn yuan.",
            "人工智能产业规模目标，统计口径见 ai_industry_target_basis：core（核心产业规模）、"
            "whole（人工智能产业规模）或 core_firms_revenue（人工智能核心企业营业收入）。"
            "单位为十亿元（bn yuan），1 亿元记为 0.1。",
            "人工智能产业规模目标",
            "bn yuan",
            "十亿元",
            100000,
            year_column="ai_industry_target_year",
            basis_column="ai_industry_target_basis",
        ),
        "ai_industry_target_year": _year(
            "AI industry target year",
            "Year by which the industry target applies.",
            "产业目标设定的达成年份。",
            "产业目标年份",
        ),
        "ai_industry_target_basis": _basis(
            "AI industry target basis",
            "What the industry target counts: core, whole or core_firms_revenue.",
            "产业目标的统计口径：core（核心产业）、whole（全产业）或 core_firms_revenue"
            "（核心企业营业收入）。",
            "产业目标口径",
            INDUSTRY_BASES,
        ),
        "adoption_target_2027_pct": _amount(
            "Adoption target 2027",
            "Stated 2027 adoption rate of new-generation intelligent terminals and agents "
            "(智能终端、智能体应用普及率); the national target is over 70%.",
            "文件提出的 2027 年新一代智能终端、智能体应用普及率目标；国家目标为超过 70%。",
            "2027年智能终端和智能体普及率目标",
            "%",
            "%",
            100,
            per=(),
            national=70,
        ),
        "adoption_target_2030_pct": _amount(
            "Adoption target 2030",
            "Stated 2030 adoption rate of new-generation intelligent terminals and agents; "
            "the national target is over 90%.",
            "文件提出的 2030 年新一代智能终端、智能体应用普及率目标；国家目标为超过 90%。",
            "2030年智能终端和智能体普及率目标",
            "%",
            "%",
            100,
            per=(),
            national=90,
        ),
        "focus_tracks": pa.Column(
            str,
            checks=pa.Check.str_matches(
                r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$",
                error="must be track ids separated by ';' (no spaces)",
            ),
            nullable=True,
            title="Focus tracks",
            description="';'-separated track ids from tracks.csv.",
            metadata=_meta(
                "重点赛道", description_zh="tracks.csv 中的赛道代码，以英文分号（;）分隔。"
            ),
        ),
        "gdp_2024_cny_bn": _amount(
            "GDP 2024",
            "Gross domestic product in 2024.",
            "2024 年地区生产总值（GDP）。",
            "2024年地区生产总值",
            "bn yuan",
            "十亿元",
            30000,
            figure=False,
            per=(),
        ),
        "population_2024_mn": _amount(
            "Population 2024",
            "Resident population at the end of 2024.",
            "2024 年末常住人口。",
            "2024年末常住人口",
            "mn residents",
            "百万人",
            200,
            figure=False,
            per=(),
        ),
        "strategy_en": _text(
            "Strategy",
            "One or two sentences on the province's approach.",
            "用一两句英文概述该省的推进思路。",
            "策略(英文)",
            nullable=True,
            max_len=800,
        ),
        "strategy_zh": _text(
            "Strategy (Chinese)",
            "The same in Chinese.",
            "同一内容的中文表述。",
            "策略",
            nullable=True,
            max_len=400,
        ),
    },
    strict=True,
    name="regions.csv",
)

# The money of each province is not written in regions.csv: for every instrument kind the
# loaded province table has a column holding the province's largest provincial-level
# instrument of that kind (`instruments.province_view`), cited by that instrument's row.
# A figure is so never written in two places that can drift.
MONEY_COLUMNS: dict[str, pa.Column] = {
    kind.id: _amount(
        kind.label_en,
        f"Largest provincial-level instrument of kind {kind.id} in instruments.csv "
        f"({kind.description}); city, district and zone instruments are not counted.",
        f"instruments.csv 中类型为 {kind.id} 的省级措施中金额最大者（{kind.description_zh}）；"
        "不计入市级、区县级和开发区措施。",
        kind.label_zh,
        kind.unit_en,
        kind.unit_zh,
        kind.upper,
        per=kind.per,
    )
    for kind in INSTRUMENT_KINDS.values()
}


def _province_table_schema() -> pa.DataFrameSchema:
    """regions.csv's columns with the money views inserted after the flags."""
    columns = dict(regions_file_schema.columns)
    names = list(columns)
    at = names.index("compute_hub") + 1
    ordered = [*names[:at], *MONEY_COLUMNS, *names[at:]]
    merged = {**columns, **MONEY_COLUMNS}
    return pa.DataFrameSchema({name: merged[name] for name in ordered}, name="provinces")


# The province table the app works on: regions.csv plus the money views.
regions_schema = _province_table_schema()

# The policy commitments, in display order: every column whose metadata says figure.
FIGURE_COLUMNS: tuple[str, ...] = tuple(
    name for name, column in regions_schema.columns.items() if column.metadata.get("figure")
)

# Figures that carry a year (and maybe a basis): compared only with like figures.
DATED_COLUMNS: tuple[str, ...] = tuple(
    name for name, column in regions_schema.columns.items() if column.metadata.get("year_column")
)

# Columns of regions.csv that a sources.csv row may cite. Year and basis columns are
# cited by their figure's row; names and ids need no citation.
# Money is cited by its instrument's row in instruments.csv, not here.
TARGET_COLUMNS: tuple[str, ...] = tuple(c for c in FIGURE_COLUMNS if c not in MONEY_COLUMNS)
CITABLE_FIELDS: tuple[str, ...] = (
    *TARGET_COLUMNS,
    "compute_reached_eflops",
    "focus_tracks",
    "gdp_2024_cny_bn",
    "population_2024_mn",
    "compute_hub",
    "border",
    "region",
    "strategy_en",
)
# Fields that must have a source whenever they hold a value (True for flags).
MUST_CITE: tuple[str, ...] = (
    *TARGET_COLUMNS,
    "compute_reached_eflops",
    "focus_tracks",
    "gdp_2024_cny_bn",
    "population_2024_mn",
    "compute_hub",
)

sources_schema = pa.DataFrameSchema(
    {
        "adcode": _adcode("Province the cited figure belongs to.", "所引数值所属的省份。"),
        "field": pa.Column(
            str,
            checks=pa.Check.isin(CITABLE_FIELDS, error="must name a citable column of regions.csv"),
            title="Field",
            description="The column of regions.csv that this row cites.",
            metadata=_meta("字段", description_zh="本行所引用的 regions.csv 列名。"),
        ),
        "value_as_stated": _text(
            "As stated",
            "The figure in the source's own words and unit.",
            "按来源原文的表述和单位记录的数值。",
            "原文数值",
        ),
        **_citation_columns(),
        "note": _text(
            "Note",
            "Why this source was chosen, conflicts, unit conversions.",
            "选用该来源的理由、不同来源间的出入及单位换算。",
            "备注",
            nullable=True,
        ),
        "document": pa.Column(
            str,
            checks=pa.Check.str_matches(_DOCUMENT_ID, error=_DOCUMENT_ID_RULE),
            nullable=True,
            title="Document",
            description="Id in documents.csv of the policy document the figure comes from.",
            metadata=_meta(
                "文件", description_zh="该数值所出自的政策文件在 documents.csv 中的代码。"
            ),
        ),
    },
    strict=True,
    name="sources.csv",
)

documents_schema = pa.DataFrameSchema(
    {
        "document": pa.Column(
            str,
            checks=pa.Check.str_matches(_DOCUMENT_ID, error=_DOCUMENT_ID_RULE),
            unique=True,
            report_duplicates="exclude_first",
            title="Document id",
            description="Short stable id, e.g. js-ai-plus-2025; sources.csv cites it.",
            metadata=_meta(
                "文件代码",
                description_zh="简短、固定的代码，例如 js-ai-plus-2025；供 sources.csv 引用。",
            ),
        ),
        "adcode": _adcode(
            "Province whose government or department issued the document (no city documents).",
            "发文的省级政府或其部门所属的省份（不收录市级文件）。",
        ),
        "title_zh": _text(
            "Title (Chinese)",
            "The document's title as issued.",
            "文件印发时的标题原文。",
            "文件标题",
            max_len=200,
        ),
        "title_en": _text(
            "Title",
            "A short faithful English translation.",
            "简短、忠实的英文译名。",
            "标题(英文)",
            max_len=300,
        ),
        "doc_number": _text(
            "Document number",
            "文号, blank when not visible.",
            "发文字号；页面未显示时留空。",
            "文号",
            nullable=True,
            max_len=60,
        ),
        "issuer": _text(
            "Issuer",
            "The provincial government, its general office, or a named department; blank "
            "when the page does not show it.",
            "省级人民政府、其办公厅或某一具体部门；页面未显示时留空。",
            "发文机关",
            nullable=True,
            max_len=200,
        ),
        "issuer_en": _text(
            "Issuer (English)",
            "The issuer's English name: its own official English where it has one, else the "
            "usual rendering on Chinese government English sites; blank with the issuer.",
            "发文机关的英文名称：有官方英文名称的用其官方英文名称，否则采用中国政府英文网站的"
            "通行译法；发文机关留空时一并留空。",
            "发文机关(英文)",
            nullable=True,
            max_len=600,
        ),
        "issued": _date(
            "Issued",
            "Date of issue, YYYY-MM-DD or YYYY-MM; blank when no source shows it, but a draft "
            "is always dated (by its call for comment or its submission).",
            "印发日期，格式为 YYYY-MM-DD 或 YYYY-MM；没有来源显示时留空，但 draft（草案）"
            "一律注明日期（取公开征求意见或提请审议的日期）。",
            "发布日期",
            nullable=True,
        ),
        "kind": pa.Column(
            str,
            checks=pa.Check.isin(
                DOCUMENT_KINDS, error=f"must be one of {', '.join(DOCUMENT_KINDS)}"
            ),
            title="Kind",
            description=(
                'ai_plus_plan (an "AI+" action or implementation plan), fyp15_outline (15th '
                "Five-Year Plan outline), ai_industry_plan, compute_plan, data_plan, measures, "
                "work_report (government work report), other."
            ),
            metadata=_meta(
                "文件类型",
                description_zh=(
                    "ai_plus_plan（“人工智能+”行动方案或实施方案）、fyp15_outline（“十五五”规划"
                    "纲要）、ai_industry_plan（人工智能产业规划）、compute_plan（算力规划）、"
                    "data_plan（数据规划）、measures（政策措施）、work_report（政府工作报告）、"
                    "other（其他）。"
                ),
            ),
        ),
        "status": pa.Column(
            str,
            checks=pa.Check.isin(
                DOCUMENT_STATUSES, error=f"must be one of {', '.join(DOCUMENT_STATUSES)}"
            ),
            title="Status",
            description="final, or draft (for comment, or an outline not yet adopted).",
            metadata=_meta(
                "状态",
                description_zh=(
                    "final（正式稿），或 draft（征求意见稿，或尚未审议通过的纲要草案）。"
                ),
            ),
        ),
        "url": _url_column(),
        "publisher": _text(
            "Publisher", "Who published the cited page.", "所引网页的发布方。", "发布者"
        ),
        "grade": _grade_column(),
        "quote": _text(
            "Quote",
            "Verbatim passage proving the title, number or date.",
            "可证实标题、文号或日期的原文段落（逐字摘录）。",
            "原文",
        ),
        "note": _text(
            "Note",
            "Caveats and the headline targets it states.",
            "注意事项，以及文件提出的主要目标。",
            "备注",
            nullable=True,
        ),
    },
    strict=True,
    name="documents.csv",
)

tracks_schema = pa.DataFrameSchema(
    {
        "track": pa.Column(
            str,
            checks=pa.Check.str_matches(
                r"^[a-z][a-z0-9_]{1,40}$", error="must be a lower-case id (a-z, 0-9, _)"
            ),
            unique=True,
            report_duplicates="exclude_first",
            title="Track id",
            description="Identifier used in regions.csv focus_tracks.",
            metadata=_meta(
                "赛道代码", description_zh="赛道标识，供 regions.csv 的 focus_tracks 列使用。"
            ),
        ),
        "label_en": _text("Track", "English label.", "英文名称。", "赛道(英文)", max_len=60),
        "label_zh": _text("Track (Chinese)", "Chinese label.", "中文名称。", "赛道", max_len=30),
        "description": _text(
            "Description", "What the track covers.", "该赛道涵盖的范围。", "说明", max_len=400
        ),
    },
    strict=True,
    name="tracks.csv",
)

region_strategies_schema = pa.DataFrameSchema(
    {
        "group": pa.Column(
            str,
            checks=pa.Check.isin(GROUPS, error=f"must be one of {', '.join(GROUPS)}"),
            unique=True,
            report_duplicates="exclude_first",
            title="Group",
            description="Regional group: eastern, central, western, northeast or border.",
            metadata=_meta(
                "区域组",
                description_zh=(
                    "区域组：eastern（东部）、central（中部）、western（西部）、northeast（东北）"
                    "或 border（边境省份）。"
                ),
            ),
        ),
        "summary_en": _text(
            "Strategy", "The group's strategy in English.", "该区域组策略的英文表述。", "策略(英文)"
        ),
        "summary_zh": _text(
            "Strategy (Chinese)", "The same in Chinese.", "同一内容的中文表述。", "策略"
        ),
        **_citation_columns(),
    },
    strict=True,
    name="region_strategies.csv",
)

_KIND_RULE = f"must be one of {', '.join(INSTRUMENT_KINDS)}"
_LEVEL_RULE = f"must be one of {', '.join(INSTRUMENT_LEVELS)}"

instruments_schema = pa.DataFrameSchema(
    {
        "id": pa.Column(
            str,
            checks=pa.Check.str_matches(
                _INSTRUMENT_ID,
                error="must be an id like zj-hangzhou-voucher-budget-1 (a-z, 0-9, -, _)",
            ),
            unique=True,
            report_duplicates="exclude_first",
            title="Instrument id",
            description="Short stable id: province letters, place, kind, number.",
            metadata=_meta(
                "措施代码", description_zh="简短、固定的代码：省份字母缩写、地点、类型、序号。"
            ),
        ),
        "adcode": _adcode(
            "Province the instrument is in (for a city's, the city's province).",
            "措施所在的省份（市级措施填其所在省份）。",
        ),
        "level": pa.Column(
            str,
            checks=pa.Check.isin(tuple(INSTRUMENT_LEVELS), error=_LEVEL_RULE),
            title="Level",
            description=(
                "Who set it: province (the provincial government or a department; the four "
                "municipalities' own governments too), city, district or zone (a development "
                "or high-tech zone). province is the OECD's regional level of government, "
                "the others its local level."
            ),
            metadata=_meta(
                "层级",
                description_zh=(
                    "制定主体：province（省级政府或其部门，四个直辖市的市政府本级亦属此类）、"
                    "city（市）、district（区县）或 zone（开发区或高新区）。province 对应 "
                    "OECD 划分的地区级（regional）政府层级，其余对应地方级（local）。"
                ),
            ),
        ),
        "place_zh": _text(
            "Place (Chinese)",
            "The city, district or zone; blank for a provincial instrument.",
            "所在城市、区县或开发区；省级措施留空。",
            "地方",
            nullable=True,
            max_len=40,
        ),
        "place_en": _text(
            "Place",
            "The same in English.",
            "同一地方的英文名称。",
            "地方(英文)",
            nullable=True,
            max_len=80,
        ),
        "place_adcode": pa.Column(
            "Int64",
            checks=pa.Check.in_range(
                100000, 999999, error="must be a 6-digit GB/T 2260 code of a city or district"
            ),
            nullable=True,
            title="Place code",
            description=(
                "GB/T 2260 code of the city or district where the circle is drawn (for a zone, "
                "the district or city that hosts it); blank for a provincial instrument."
            ),
            metadata=_meta(
                "地方代码",
                description_zh=(
                    "地图上绘制圆形标记的城市或区县的 GB/T 2260 行政区划代码（开发区取其所在区县"
                    "或城市的代码）；省级措施留空。"
                ),
            ),
        ),
        "kind": pa.Column(
            str,
            checks=pa.Check.isin(tuple(INSTRUMENT_KINDS), error=_KIND_RULE),
            title="Kind",
            description="; ".join(
                f"{kind.id}: {kind.description} ({kind.unit}; Oslo type {kind.oslo})"
                for kind in INSTRUMENT_KINDS.values()
            ),
            metadata=_meta(
                "类型",
                description_zh="；".join(
                    f"{kind.id}：{kind.description_zh}"
                    f"（{kind.unit}；《奥斯陆手册》类型：{OSLO_TYPES[kind.oslo][1]}）"
                    for kind in INSTRUMENT_KINDS.values()
                )
                + "。",
            ),
        ),
        "amount": pa.Column(
            float,
            checks=[
                pa.Check.gt(0, error="must be greater than 0 (leave the row out when unknown)"),
                pa.Check.le(100000, error="must be at most 100000 (check the unit)"),
            ],
            title="Amount",
            description="The amount in `unit` (cny_bn = 十亿元 for funds, cny_mn = 百万元 else).",
            metadata=_meta(
                "金额",
                description_zh=(
                    "以 `unit` 为单位的金额（基金为 cny_bn，即十亿元；其他为 cny_mn，即百万元）。"
                ),
            ),
        ),
        "unit": pa.Column(
            str,
            checks=pa.Check.isin(
                INSTRUMENT_UNITS, error=f"must be one of {', '.join(INSTRUMENT_UNITS)}"
            ),
            title="Unit",
            description="cny_bn (bn yuan) for a fund, cny_mn (mn yuan) for every other kind.",
            metadata=_meta(
                "单位", description_zh="基金为 cny_bn（十亿元），其他各类措施为 cny_mn（百万元）。"
            ),
        ),
        "share_pct": pa.Column(
            float,
            checks=[
                pa.Check.gt(0, error="must be greater than 0"),
                pa.Check.le(100, error="must be at most 100 (a share of cost in %)"),
            ],
            nullable=True,
            title="Share of cost",
            description="The share of cost covered, in %, where the source states it.",
            metadata=_meta(
                "补助比例", "%", "%", description_zh="补助占成本的比例（%），来源载明时填写。"
            ),
        ),
        "year": pa.Column(
            "Int64",
            checks=pa.Check.in_range(2018, 2035, error="must be a year from 2018 to 2035"),
            title="Year",
            description="The year the instrument is in force from, or its budget year.",
            metadata=_meta(
                "年份", "year", "年", description_zh="措施开始施行的年份，或其预算年度。"
            ),
        ),
        "status": pa.Column(
            str,
            checks=pa.Check.isin(
                DOCUMENT_STATUSES, error=f"must be one of {', '.join(DOCUMENT_STATUSES)}"
            ),
            title="Status",
            description="final, or draft (a text put out for comment).",
            metadata=_meta("状态", description_zh="final（正式稿），或 draft（公开征求意见稿）。"),
        ),
        "document": pa.Column(
            str,
            checks=pa.Check.str_matches(_DOCUMENT_ID, error=_DOCUMENT_ID_RULE),
            nullable=True,
            title="Document",
            description=(
                "Id in documents.csv of the provincial document that sets it, if there is one."
            ),
            metadata=_meta(
                "文件", description_zh="设立该措施的省级文件在 documents.csv 中的代码（如有）。"
            ),
        ),
        "wording": _text(
            "As stated",
            "The amount in the source's own words.",
            "来源原文中对该金额的表述。",
            "原文数值",
            max_len=300,
        ),
        **_citation_columns(),
        "note": _text(
            "Note",
            "Context, caveats, what a re-read changed.",
            "背景、注意事项，以及复核后所作的修改。",
            "备注",
            nullable=True,
        ),
    },
    strict=True,
    name="instruments.csv",
)

cities_schema = pa.DataFrameSchema(
    {
        "adcode": _adcode("Province the city belongs to.", "该城市所属的省份。"),
        "city_en": _text(
            "City",
            "City or district name in English.",
            "城市或区县的英文名称。",
            "城市(英文)",
            max_len=60,
        ),
        "city_zh": _text(
            "City (Chinese)",
            "City or district name in Chinese.",
            "城市或区县的中文名称。",
            "城市",
            max_len=30,
        ),
        "measure": _text(
            "Measure",
            "What the city committed, in short.",
            "该城市所作承诺的简述。",
            "措施",
            max_len=300,
        ),
        "value": pa.Column(
            float,
            checks=pa.Check.ge(0, error="must not be negative"),
            nullable=True,
            title="Value",
            description="The measure's number in `unit`, blank when it has none.",
            metadata=_meta("数值", description_zh="该措施以 `unit` 为单位的数值；没有数值时留空。"),
        ),
        "unit": _text(
            "Unit",
            "Unit of `value`, e.g. cny_bn, cny_mn, eflops.",
            "`value` 的单位，例如 cny_bn、cny_mn、eflops。",
            "单位",
            nullable=True,
            max_len=30,
        ),
        "value_as_stated": _text(
            "As stated", "The figure in the source's words.", "来源原文表述的数值。", "原文数值"
        ),
        **_citation_columns(),
        "note": _text("Note", "Context or caveats.", "背景或注意事项。", "备注", nullable=True),
    },
    strict=True,
    name="cities.csv",
)

# File name -> schema, in the order files are checked and documented. cities.csv is
# optional: a data folder without city measures is still complete.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "regions.csv": regions_file_schema,
    "sources.csv": sources_schema,
    "tracks.csv": tracks_schema,
    "region_strategies.csv": region_strategies_schema,
    "cities.csv": cities_schema,
    "documents.csv": documents_schema,
    "instruments.csv": instruments_schema,
}
OPTIONAL_FILES: frozenset[str] = frozenset({"cities.csv"})


def column_label(column: str, lang: str = "en") -> str:
    """The display label of a regions.csv column in English or Chinese."""
    spec = regions_schema.columns[column]
    return spec.metadata["label_zh"] if lang == "zh" else spec.title


def column_unit(column: str, lang: str = "en", *, stored: bool = False) -> str:
    """The unit a figure is shown in (亿元, 万元 in Chinese), or the unit it is stored in."""
    meta = regions_schema.columns[column].metadata
    if lang != "zh":
        return meta["unit"]
    return meta["unit_zh"] if stored else meta["display_unit_zh"]


def column_scale(column: str, lang: str = "en") -> float:
    """What a stored figure is multiplied by to be shown in `column_unit(column, lang)`."""
    return regions_schema.columns[column].metadata["zh_scale"] if lang == "zh" else 1.0


def column_meta(column: str) -> dict[str, Any]:
    """Metadata (unit, Chinese label, figure flags) of a regions.csv column."""
    return regions_schema.columns[column].metadata
