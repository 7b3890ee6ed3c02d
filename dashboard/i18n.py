"""Interface text in English and Chinese.

Column labels and units come from the schema, province and track names from the
data; this module holds the rest. A test checks that every key has both languages.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "zh")

TEXT: dict[str, tuple[str, str]] = {
    # app and navigation
    "app_title": ("China's provincial AI+ commitments", "中国各省“人工智能+”政策承诺"),
    "page_map": ("Map", "地图"),
    "page_regions": ("Regional strategies", "区域策略"),
    "page_compare": ("Compare provinces", "省份对比"),
    "page_screener": ("Investor screener", "投资筛选"),
    "page_sources": ("Data and sources", "数据与来源"),
    "page_timeline": ("Documents timeline", "政策文件时间线"),
    "language": ("Language", "语言"),
    "choose": ("Choose", "请选择"),
    "column": ("Column", "列"),
    "problem_file": ("File", "文件"),
    "problem_row": ("Row", "行"),
    "problem_rule": ("Rule", "规则"),
    "problem_value": ("Value", "值"),
    "label": ("Label", "名称"),
    "dash_blank": (
        "— blank in the file: no published figure (never zero).",
        "—：文件中为空，即无公开数据（绝不按零处理）。",
    ),
    "data_as_of": ("Data as of {date}.", "数据截至{date}。"),
    "footer_sources": (
        "Every figure is cited on its province's panel and in Data and sources.",
        "每个数据的出处见各省详情与“数据与来源”页。",
    ),
    "close_panel": ("Close", "关闭"),
    "present_exit": ("Exit presentation mode", "退出演示模式"),
    "present_enter": ("Presentation mode", "演示模式"),
    "copy_link": ("Link to this view", "本视图链接"),
    "copy_link_help": (
        "Copy this address to reopen exactly this view.",
        "复制此链接即可重新打开当前视图。",
    ),
    "scene_prev": ("Previous saved view (left arrow)", "上一个视图（左方向键）"),
    "scene_next": ("Next saved view (right arrow)", "下一个视图（右方向键）"),
    "scene_of": ("Saved view {i} of {n}: use the arrow keys", "已保存视图 {i}/{n}：可用方向键切换"),
    "scene_save": ("Save view for a talk", "保存视图用于演示"),
    "scene_clear": ("Clear saved views", "清除已保存视图"),
    "ignored_params": (
        "Some link parameters were not understood or were limited to the data's range",
        "部分链接参数无法识别或已限制在数据范围内",
    ),
    "data_error_title": ("The data folder has problems", "数据文件夹有问题"),
    "data_error_body": (
        "The dashboard does not draw anything from invalid data. Fix these rows and reload; "
        "`python -m dashboard.validate` lists the same problems.",
        "数据无效时仪表盘不绘制任何内容。请修正以下各行后刷新；"
        "`python -m dashboard.validate` 会列出相同问题。",
    ),
    "normalised_notes": ("Normalised while loading", "加载时已自动规范"),
    # map page
    "map_controls": ("Map", "地图设置"),
    "metric": ("Commitment", "指标"),
    "per": ("Normalise", "标准化"),
    "per_none": ("Absolute", "绝对值"),
    "per_capita": ("Per resident", "人均"),
    "per_gdp": ("Per unit of GDP", "按GDP"),
    "scheme": ("Classes", "分级方法"),
    "scheme_quantiles": ("Quantiles", "分位数"),
    "scheme_natural_breaks": ("Natural breaks", "自然断点"),
    "scheme_equal_interval": ("Equal intervals", "等间距"),
    "all_groups": ("All provinces", "全部省份"),
    "all_tracks": ("Any track", "不限赛道"),
    "outlines": ("Show region outlines", "显示四大区域边界"),
    "border_highlight": ("Highlight border provinces", "突出显示边境省份"),
    "province": ("Province", "省份"),
    "province_pick": ("Open a province's details", "查看省份详情"),
    "no_figure": ("no published figure", "无公开数据"),
    "empty_class": ("no province", "无省份"),
    "not_covered": ("not in this dataset", "不在本数据集范围内"),
    "outside_selection": ("outside the selection", "不在筛选范围内"),
    "has_track": ("names this track", "提及该赛道"),
    "lacks_track": ("does not name it", "未提及"),
    "no_track_list": ("no track list found", "未找到赛道列表"),
    "track_count": ("Number of focus tracks", "重点赛道数量"),
    "track_prefix": ("Focus track", "重点赛道"),
    "track_menu_prefix": ("Track: ", "赛道："),
    "tracks_unit": ("tracks", "个"),
    "ranked": ("Ranked", "排名"),
    # comparing like with like
    "basis": ("Counting", "统计口径"),
    "years": ("Target years", "目标年份"),
    "years_ahead": ("Years still ahead ({year} on)", "尚未到期（{year}年起）"),
    "years_all": ("All years (year on each figure)", "全部年份（逐项标注年份）"),
    "years_one": ("Targets for {year}", "{year}年目标"),
    "window_ahead_text": ("targets for {year} or later", "{year}年及以后的目标"),
    "window_all_text": ("targets for every year, each labelled", "全部年份目标（逐项标注年份）"),
    "window_year_text": ("targets for {year}", "{year}年目标"),
    "list_sep": ("; ", "；"),
    "basis_compute_total": ("total computing power", "算力总规模"),
    "basis_compute_intelligent": ("intelligent computing only", "仅智能算力"),
    "basis_compute_supercomputing": ("supercomputing only", "仅超算"),
    "basis_compute_service": ("computing services (cloud) scale", "算力服务（云）规模"),
    "basis_industry_core": ("core AI industry", "人工智能核心产业"),
    "basis_industry_whole": ("whole AI industry", "人工智能产业（全口径）"),
    "basis_industry_core_firms_revenue": ("revenue of core AI firms", "核心企业营业收入"),
    "grade_official": ("official", "官方"),
    "grade_media": ("media", "媒体"),
    "grade_repost": ("repost", "转载"),
    "grade_secondary": ("secondary", "二手"),
    "kind_ai_plus_plan": ("AI+ plan", "“人工智能+”方案"),
    "kind_fyp15_outline": ("15th Five-Year Plan outline", "“十五五”规划纲要"),
    "kind_ai_industry_plan": ("AI industry plan", "人工智能产业规划"),
    "kind_compute_plan": ("computing plan", "算力规划"),
    "kind_data_plan": ("data plan", "数据规划"),
    "kind_measures": ("policy measures", "政策措施"),
    "kind_work_report": ("government work report", "政府工作报告"),
    "kind_other": ("other document", "其他文件"),
    "status_final": ("final", "正式"),
    "status_draft": ("draft", "征求意见稿/草案"),
    "qualified": ("{text} ({note})", "{text}（{note}）"),
    "documents": ("Policy documents", "政策文件"),
    "national_opinion": (
        "State Council “AI+” opinion (国发〔2025〕11号), 2025-08-21",
        "国务院“人工智能+”意见（国发〔2025〕11号），2025-08-21",
    ),
    "timeline_title": (
        "Provincial AI policy documents, 2024 to today",
        "各省人工智能政策文件（2024年至今）",
    ),
    "timeline_subtitle": (
        "Rows ordered by each province's first “AI+” plan after the national opinion; hollow marks "
        "are drafts; “no plan found” means none in this dataset's sources, not none issued.",
        "按国务院意见后首个“人工智能+”方案的发布时间排序；空心标记为征求意见稿或草案；"
        "“未找到方案”指本数据集来源中未见，并非未发布。",
    ),
    "kinds_filter": ("Kinds of document", "文件类型"),
    "all_kinds": ("All kinds", "全部类型"),
    "document_pick": ("Open a document", "查看文件"),
    "documents_listed": (
        "{n} documents; {undated} without a known date and {earlier} issued before 2024 are "
        "listed here but not drawn on the axis.",
        "共{n}份文件；其中{undated}份日期不详、{earlier}份早于2024年，仅列于此，未在时间轴上标注。",
    ),
    "doc_number": ("Number", "文号"),
    "issuer": ("Issuer", "发文机关"),
    "issued": ("Issued", "发布日期"),
    "status": ("Status", "状态"),
    "kind": ("Kind", "类型"),
    "title": ("Title", "标题"),
    "documents_table": ("Policy documents", "政策文件"),
    "no_documents": (
        "No provincial AI document found in sources.",
        "资料中未找到省级人工智能文件。",
    ),
    "before_opinion": ("before the national opinion", "早于国务院意见"),
    "target_passed": ("target year passed", "目标年份已过"),
    "none_published_for": (
        "No chosen province publishes: {figures}.",
        "所选省份均无公开数据：{figures}。",
    ),
    "not_on_axis": ("{value}: not comparable", "{value}：不可比"),
    "apart_note": (
        "Bars share an axis only when they count the same thing for the same year; a figure "
        'on another basis or for another year stands in its slot as "not comparable", '
        "with its year and basis under the name.",
        "同一坐标轴上的柱只比较口径和年份都相同的数据；口径或年份不同的数据在其位置标注“不可比”，"
        "年份和口径写在省名下方。",
    ),
    "state_other_basis": ("figure on another basis", "其他口径的数据"),
    "state_other_year": ("figure for another year", "其他年份的数据"),
    "state_year_passed": ("target year passed", "目标年份已过"),
    "state_no_year": ("year not stated", "未注明年份"),
    "state_no_gdp": ("GDP not available", "无GDP数据"),
    "state_no_figure": ("no published figure", "无公开数据"),
    "state_plan_undated": ("plan found, date not known", "已找到方案，日期不详"),
    "date_unknown": ("date not known", "日期不详"),
    "state_no_plan": ("no plan found in sources", "资料中未找到方案"),
    "state_plan_draft": ("only a draft found", "仅找到征求意见稿"),
    # The same states on a timeline row, beside the province's name.
    "row_plan_undated": ("plan, date unknown", "方案日期不详"),
    "row_no_plan": ("no plan found", "未找到方案"),
    "row_plan_draft": ("draft only", "仅有征求意见稿"),
    "rank_like": (
        "rank {rank} of {n} with a target for {year}{basis}",
        "{year}年目标{basis}中第{rank}名/共{n}个",
    ),
    "unranked_no_year": ("not ranked: the source states no year", "未排名：来源未注明年份"),
    "on_basis": (" on {basis}", "（{basis}）"),
    "in_operation": (
        "in operation: {value} EFLOPS at the end of {year} ({share}% of the target)",
        "已建成：{year}年底{value} EFLOPS（目标的{share}%）",
    ),
    "national_target": ("national target: over {value}%", "全国目标：超过{value}%"),
    "ai_plus_plan_days": (
        "AI+ plan issued: days after the national opinion",
        "“人工智能+”方案发布：国务院意见后天数",
    ),
    "ai_plus_plan_days_menu": ("Days to the AI+ plan", "“人工智能+”方案发布天数"),
    "days_unit": ("days", "天"),
    "compared": ("Compared: {what}.", "比较范围：{what}。"),
    "left_out": ("Not on the scale: {states}.", "未参与比较：{states}。"),
    "source_line": (
        "Source: provincial plans and reports as cited per figure (data/sources.csv, "
        "data/instruments.csv); Wedoany (2026). China AI+ dashboard.",
        "来源：各省规划与报告，逐项注明出处（data/sources.csv、data/instruments.csv）；Wedoany（2026）。"
        "中国“人工智能+”仪表盘。",
    ),
    "export_format": ("Chart download format", "图表下载格式"),
    "map_alt": (
        "Map of China's provinces coloured by {metric}{per}; {n} of 31 have a published figure.",
        "中国各省{metric}{per}分级设色地图；31个省份中{n}个有公开数据。",
    ),
    "bars_alt": (
        "Bar chart ranking provinces by {metric}{per}.",
        "按{metric}{per}排列的省份条形图。",
    ),
    # province panel
    "figures": ("Figures", "数据"),
    "region": ("Region", "区域"),
    "border": ("Land border", "陆地边境"),
    "compute_hub": ("National computing hub", "国家算力枢纽"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "strategy": ("Strategy", "策略"),
    "focus_tracks": ("Focus tracks", "重点赛道"),
    "quote": ("Quote", "原文"),
    "citations": ("Sources", "出处"),
    "grade": ("grade", "等级"),
    "target_year": ("by {year}", "{year}年"),
    "download_brief": ("Download a one-page brief (HTML)", "下载单页简报（HTML）"),
    "rank_of": ("rank {rank} of {n}", "第{rank}名/共{n}个"),
    "only_one": ("the only province with this figure", "仅此一省公布"),
    "only_like": (
        "the only target for {year}{basis}: nothing to rank it with",
        "仅此一个{year}年目标{basis}，无可排名",
    ),
    "city_measures": (
        "City-level targets (not counted in provincial figures)",
        "市级目标（不计入省级数据）",
    ),
    # money instruments
    "instruments": ("Money: funds, subsidies, awards, vouchers", "资金：基金、补贴、奖励、券"),
    "instruments_none": ("No cited money instrument", "暂无有出处的资金措施"),
    "instruments_note": (
        "Each kind is compared only with itself; a city's instrument is never added into "
        "its province's.",
        "每类资金只与同类比较；市县措施不计入省级数据。",
    ),
    "level_province": ("provincial", "省级"),
    "level_city": ("city", "市级"),
    "level_district": ("district", "区县级"),
    "level_zone": ("zone", "园区级"),
    "level_local": ("cities, districts and zones", "市、区县和园区"),
    "level_both": ("province and cities", "省级和市县"),
    "level_choice": ("Level", "层级"),
    "intro_title": ("How to read this map", "如何阅读本地图"),
    "intro_body": (
        "On 2025-08-21 the State Council issued its opinion on **“AI+”** (国发〔2025〕11号); "
        "each province answers it with plans, funds and targets.\n\n"
        "- A target counts something, its **basis** (total or intelligent computing, core or "
        "whole AI industry), by a **target year**: only targets on the same basis for the same "
        "year are coloured and ranked together.\n"
        "- **Dotted** provinces publish no figure: unknown, never zero.\n"
        "- Money is compared **kind by kind** (funds with funds, vouchers with vouchers); a "
        "city's instrument is a circle, never added into its province's.\n"
        "- Every figure has a source with a **grade**: official (the issuer's own site), media "
        "(a named outlet), repost (a copy elsewhere), secondary (a third-party summary).",
        "国务院于2025年8月21日印发关于深入实施 **“人工智能+”** 行动的意见（国发〔2025〕11号），"
        "各省以规划、基金和目标落实。\n\n"
        "- 每个目标都有 **口径**（算力总规模或智能算力、核心产业或全产业）和 **目标年份**："
        "只有口径和年份相同的目标才一起着色和排名。\n"
        "- **带点** 的省份未公布数据：表示未知，而非零。\n"
        "- 资金 **按类型** 比较（基金与基金、算力券与算力券）；"
        "市县措施以圆圈表示，不计入省级数据。\n"
        "- 每项数据均注明出处及 **来源等级**：官方（发布机关网站）、媒体（具名媒体）、"
        "转载（其他网站的副本）、二手（第三方摘要）。",
    ),
    "intro_dismiss": ("Got it", "知道了"),
    "intro_again": ("How to read this map", "如何阅读本地图"),
    "rank_in_year": ("#{rank} of {n} in {year}", "{year}年第{rank}/{n}"),
    "only_in_year": ("the only one for {year}", "{year}年仅此一项"),
    "ranking_empty": (
        "No comparable figure here: the note below says why each province is left out.",
        "此处没有可比数据：下方说明列出各省未参与比较的原因。",
    ),
    "money_kinds": ("Money kinds", "资金类型"),
    "any_amount": ("any amount", "任意金额"),
    "screen_rule": (
        "A province qualifies if it, or any of its cities, districts or zones, has an "
        "instrument of each chosen kind within that kind's range. Kinds are never compared "
        "with each other, and a city's instrument is never added into its province's.",
        "若某省本级或其任一市、区县或园区在每一所选类型中有金额处于该类型范围内的措施，"
        "即视为符合。不同类型之间不作比较，市县措施不计入省级数据。",
    ),
    "screen_rule_short": ("the province or any of its cities", "省本级或其任一市县"),
    "where": ("Level and place", "层级与地方"),
    "amount": ("Amount", "金额"),
    "unit": ("Unit", "单位"),
    "share_col": ("Share of cost (%)", "补助比例（%）"),
    "year": ("Year", "年份"),
    "cite_title": ("source title", "来源标题"),
    "instrument_id": ("instrument id", "措施代码"),
    "instrument_matches": (
        "{n} of 31 provinces match · {k} instruments listed",
        "31个省份中{n}个符合 · 列出{k}项措施",
    ),
    "instruments_table": ("Money instruments (instruments.csv)", "资金措施（instruments.csv）"),
    "oslo_type": ("Oslo Manual type", "奥斯陆手册类型"),
    "total": ("All levels", "合计"),
    "circles_legend": (
        "city, district or zone instrument ({n}); circle area ∝ amount",
        "市、区县或园区措施（{n}）；圆面积与金额成正比",
    ),
    "provinces_hidden": ("provincial figures not shown", "未显示省级数据"),
    "circles_absolute_only": (
        "City, district and zone instruments are drawn only in absolute amounts.",
        "市、区县和园区措施仅按绝对金额显示。",
    ),
    "local_instruments": (
        "City, district and zone instruments of this kind",
        "该类市、区县和园区措施",
    ),
    "unplaced": ("not drawn (place unknown): {names}", "未绘制（位置未知）：{names}"),
    "share_of_cost": ("{share}% of cost", "费用的{share}%"),
    "from_year": ("from {year}", "{year}年起"),
    "status_draft_short": ("draft", "征求意见稿"),
    "province_itself": ("Province", "省级"),
    # regions page
    "group_eastern": ("Eastern", "东部"),
    "group_central": ("Central", "中部"),
    "group_western": ("Western", "西部"),
    "group_northeast": ("Northeast", "东北"),
    "group_border": ("Border provinces", "边境省份"),
    "provinces": ("Provinces", "省份数"),
    "with_figure": ("with a published figure", "有公开数据"),
    "crowded_n": ("{n} provinces", "{n}个省份"),
    "crowded_rest": ("The other {n} tracks", "其余{n}个赛道"),
    "criteria": ("Criteria", "筛选条件"),
    "median_of": ("{amount} (median of {n})", "{amount}（{n}项中位数）"),
    "group_money_note": (
        "Each cell compares one kind at one level within a group: the median of the "
        "instruments there, or the one amount when there is one. Money is never summed, and "
        "a city's instrument is never counted as its province's.",
        "每格只比较组内同一层级的同一类资金：多项时为中位数，仅一项时为该金额。资金从不加总，"
        "市县措施不计入省级。",
    ),
    "tier_province": ("provincial", "省级"),
    "tier_local": ("cities, districts, zones", "市县园区"),
    "like_single": (
        "One {what} for {year}{basis}, nothing to compare it with",
        "仅一个{year}年{what}{basis}，无可比较",
    ),
    "like_none": (
        "Other targets: no member publishes one on the common basis and year",
        "其他目标：本组无省份在共同口径和年份上公布",
    ),
    "plans_issued": (
        "“AI+” plans issued after the national opinion",
        "国务院意见后发布“人工智能+”方案",
    ),
    "plan_days_median": ("Median days to the plan", "发布方案天数中位数"),
    "like_median": (
        "Median of {n} {what} for {year}{basis}",
        "{n}个{year}年{what}{basis}的中位数",
    ),
    "hubs": ("Computing hubs", "算力枢纽"),
    "shared_summary": (
        "The source gives one sentence for this group and {groups}.",
        "来源对本组与{groups}使用同一句概括。",
    ),
    "no_summary": (
        "The source article gives no separate summary for this group.",
        "来源文章未单独概括该组。",
    ),
    "track_heatmap": (
        "Share of each group's provinces naming a track",
        "各组中提及各赛道的省份占比",
    ),
    "overlap": (
        "Overlap of focus tracks between provinces (Jaccard)",
        "省份间重点赛道重合度（Jaccard）",
    ),
    "overlap_columns": (
        "Columns: the same provinces, in the same order as the rows",
        "各列省份及其顺序与各行相同",
    ),
    "crowded": ("Most crowded tracks", "最拥挤的赛道"),
    # compare page
    "compare_pick": ("Provinces to compare (2 to 4)", "对比省份（2至4个）"),
    "per_not_applied": (
        "{per} is not applied to {figures}: a cap, a rate or a computing scale per resident "
        "or per unit of GDP means nothing.",
        "{figures}不按{per}换算：上限、比率或算力规模按人口或GDP换算没有意义。",
    ),
    "compare_need": ("Pick two to four provinces.", "请选择2至4个省份。"),
    "shared_tracks": ("Shared tracks", "共同赛道"),
    "distinct_tracks": ("Only here", "独有赛道"),
    # screener page
    # Range filters; the unit follows from the schema (亿元 and 万元 in Chinese).
    "range_label": ("{name}, {unit}", "{name}（{unit}）"),
    "criterion": ("{name}: {value}", "{name}：{value}"),
    "tracks_criterion": ("{name} ({mode}): {value}", "{name}（{mode}）：{value}"),
    "no_filters": ("no filters: every province", "未筛选：全部省份"),
    "tracks_filter": ("Focus tracks", "重点赛道"),
    "tracks_mode": ("Match", "匹配方式"),
    "tracks_any": ("any of", "任一"),
    "tracks_all": ("all of", "全部"),
    "groups_filter": ("Region groups", "区域组"),
    "hub_only": ("Computing hubs only", "仅算力枢纽"),
    "border_only": ("Border provinces only", "仅边境省份"),
    "official_only": ("Only figures from official sources", "仅采用官方来源数据"),
    "matches": ("{n} of 31 provinces match", "31个省份中{n}个符合"),
    "download_results": ("Download results with citations (CSV)", "下载结果及出处（CSV）"),
    "screener_map_title": (
        "{n} of 31 match · coloured by {metric}",
        "31个省份中{n}个符合 · 按{metric}着色",
    ),
    "dash_means": (
        "— no published figure (never zero). The download adds every figure's source and quote.",
        "—：无公开数据（绝不按零处理）。下载文件附每个数据的来源与原文。",
    ),
    "cite_publisher": ("source", "来源"),
    "cite_published": ("source date", "来源日期"),
    "cite_grade": ("source grade", "来源等级"),
    "cite_url": ("link", "链接"),
    "cite_quote": ("quote", "原文"),
    "no_matches": ("No province matches these filters.", "没有符合条件的省份。"),
    # sources page
    "coverage": ("Coverage: provinces with a figure", "覆盖率：有数据的省份"),
    "dictionary": ("Data dictionary", "数据字典"),
    "downloads": ("Download the data", "下载数据"),
    "dataset_table": ("The dataset", "数据集"),
    "sources_table": ("Every cited figure", "全部出处"),
    # live data (issue 15)
    "stale_data": (
        "The data folder was changed at {since}, but the new files break {n} rule(s), so the "
        "figures shown are the last valid data, loaded at {loaded}.",
        "数据文件夹于 {since} 被修改，但新文件有 {n} 处不符合规则，因此显示的是 {loaded} "
        "载入的最近一份有效数据。",
    ),
    "stale_data_more": ("The problems are listed under Sources.", "问题列表见“数据与来源”页。"),
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for `key` in `lang`, with `{placeholders}` filled from `values`."""
    english, chinese = TEXT[key]
    text = chinese if lang == "zh" else english
    return text.format(**values) if values else text


def grade_label(grade: str, lang: str = "en") -> str:
    return t(f"grade_{grade}", lang)


def kind_label(kind: str, lang: str = "en") -> str:
    return t(f"kind_{kind}", lang)


def group_label(group: str, lang: str = "en") -> str:
    return t(f"group_{group}", lang)
