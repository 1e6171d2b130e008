"""Routing: each kind of question is answered by its named route, on this year's report and next year's."""

import re

import pytest

from knowledge import compose, figures
from knowledge.routes import ROUTES
from knowledge.text import fy_label, parse_number

ROUTED = [
    ("使い方を教えて", "help"),
    ("3-1-1", "project ids"),
    ("令和2年度の電子書籍", "year outside the report"),
    ("進捗区分のbとは", "glossary"),
    ("会議で使うので重点事業を箇条書きで", "brief"),
    ("計画期間を教えて", "plan period"),
    ("この資料はいつ時点のもの？", "as-of"),
    ("ブックポストの担当課はどこ？", "a project's place in the list"),
    ("基本目標を全部見せて", "goals"),
    ("基本目標4について", "a goal"),
    ("施策の一覧", "policies"),
    ("指標を一覧で", "indicators"),
    ("電子書籍とブックスタート", "two topics"),
    ("三田図書館が出てくる事業を全部", "a term across projects"),
    ("宅配サービスの課題", "one project"),
    ("目標を下回っている指標の数は？", "counted indicators"),
    ("重点事業で目標を下回っているのは？", "indicators within a filter"),
    ("新規事業の一覧", "list"),
    ("一番達成率が低い指標", "indicators computed"),
    ("全体のまとめ", "summary"),
    ("基本目標3の進み具合は？", "brief"),
    ("問題を抱えている事業はどれ？", "brief"),
    ("前年より増えたものを事業ごとに一覧で", "brief"),
    ("前年度より減ったものは？", "indicators computed"),  # only figures fall: the indicators say it
    ("この計画っていつまで？", "plan period"),
    ("基本目標ごとに今年度の主な実績をまとめて", "brief per goal"),
    ("ドローン配送の実証実験", "what the report lacks"),
]


def test_every_route_has_a_unique_name():
    names = [r.name for r in ROUTES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("question", "route"), ROUTED)
def test_each_kind_of_question_takes_its_route(kb, kb_next, question, route):
    assert kb.answer(question).route == route
    assert kb_next.answer(question).route == route


STRUCTURE = [
    ("計画期間は？", ["令和3年度〜令和8年度", "6年間"]),
    ("この報告はいつ時点？", ["令和7年度末"]),
    ("基本目標の一覧", ["基本目標は4つ"]),
    ("施策はいくつ？", ["11"]),
    ("基本目標2の施策は？", ["2-(1)", "2-(2)"]),
    ("調べ学習の支援はどの施策？", ["4-(1)", "学校図書館"]),
    ("電子書籍は計画書の何ページ？", ["48ページ"]),
    ("担当課は？", ["図書文化財課"]),
    ("進捗a/b/cの内訳", ["a 2事業", "b 1事業", "c 0事業"]),
    ("この推進計画に載っている事業はぜんぶでいくつ？", ["43事業"]),
    ("事業数と基本目標の数と施策の数を教えて", ["43事業", "基本目標は4つ", "11"]),
    ("「後期3年間」はいつからいつまで？", ["令和6年度〜令和8年度"]),
    ("指標がある事業は？", ["3事業"]),
]


@pytest.mark.parametrize(("question", "facts"), STRUCTURE)
def test_the_plans_structure_is_answered_from_the_report(kb, question, facts):
    direct = kb.answer(question).direct
    assert all(f in direct for f in facts), direct


def test_a_term_lists_every_project_whose_sheet_uses_it(kb):
    answer = kb.answer("大使館が関わる事業を全部")
    holders = [p.id for p in kb.report.projects if "大使館" in kb.folded[p.id]]
    assert sorted(answer.project_ids) == sorted(holders) and len(holders) >= 2
    assert "大使館" in kb.by_id[answer.project_ids[0]].name  # the project named for it comes first


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("電子書籍のタイトル数は目標まであとどれくらい？", ["452冊"]),
        ("電子書籍の貸出は令和5年度の何倍？", ["約1.94倍"]),
        ("所蔵資料数は最終年度の目標まであと何冊？", ["6,948冊", "令和8年度"]),
        ("電子書籍の貸出は目標をどれだけ上回った？", ["11,843件上回"]),
    ],
)
def test_gaps_and_ratios_are_computed_from_the_figures(kb, question, facts):
    direct = kb.answer(question).direct
    assert all(f in direct for f in facts), direct


def test_an_intention_in_the_sheet_is_no_yes(kb):
    assert not kb.answer("音楽配信はもう始まりましたか？").direct.startswith("はい")


def _year_pairs(report):
    for p in report.projects:
        for ind in p.indicators:
            years = [v.fy for v in ind.values if parse_number(v.actual) is not None]
            for a in years:
                for b in years:
                    if a != b:
                        yield p, ind, a, b


@pytest.mark.parametrize("which", ["kb", "kb_next"])
def test_the_direction_word_matches_the_sign_of_the_change_for_every_indicator_and_pair_of_years(request, which):
    kb = request.getfixturevalue(which)
    checked = 0
    for p, ind, a, b in _year_pairs(kb.report):
        c = figures.change(p, ind, a, b)
        early, late = (parse_number(figures.value_in(ind, y).actual) for y in sorted((a, b)))
        sentence = compose.change_sentence(c)
        word = "増えました" if late > early else "減りました" if late < early else "変わっていません"
        assert word in sentence, sentence
        asked = kb.answer(f"{ind.name}は{fy_label(a)}と{fy_label(b)}でどう変わった？").direct
        assert word in asked, asked
        checked += 1
    assert checked >= 12


_ABSENT = re.compile(r"「([^「」]{1,40})」(?:・「[^「」]{1,40}」)*の記載(?:は|が)(?:ありません|ない)")


@pytest.mark.parametrize("which", ["kb", "kb_next"])
def test_no_reply_to_the_reports_own_terms_says_they_are_absent(request, which):
    kb = request.getfixturevalue(which)
    from knowledge.words import TOPICAL, analyze

    terms = set()
    for p in kb.report.projects:
        for text in [p.name, *(e.text for e in p.entries)]:
            terms |= {w.surface for w in analyze(text) if w.pos in TOPICAL and len(w.surface) >= 2}
    assert len(terms) > 300
    for term in sorted(terms):
        for question in (f"{term}は？", f"{term}について教えてください"):
            direct = kb.answer(question).direct
            for m in _ABSENT.finditer(direct):
                named = re.findall(r"「([^「」]+)」", m.group(0))
                assert not [w for w in named if kb.fold(w) in kb.report_folded], (question, direct)


def test_the_plans_problems_asked_of_no_topic_tell_figures_below_target_and_the_sheets_delays(kb):
    answer = kb.answer("問題を抱えている事業はどれ？")
    assert answer.brief is not None and answer.brief.focus.value == "concerns"
    assert {line.kind for line in answer.brief.lines} >= {"indicator", "concern"}


def test_a_follow_up_narrowing_a_list_to_one_project_answers_about_that_project(kb):
    from knowledge.questions import parse_question

    keyed = [p for p in kb.report.projects if p.is_key]
    only_b = [p for p in keyed if p.grade == "b"]
    q = parse_question("そのうちb評価のものを詳しく", kb.report.as_of_fy)
    q.scope = [p.id for p in keyed]
    answer = kb.answer_list(q)
    assert len(only_b) == 1 and answer.intent != "list" and answer.project_ids == [only_b[0].id]


def test_a_projects_grade_with_its_meaning_is_that_projects_status_not_the_whole_legend(kb):
    answer = kb.answer("調べ学習の支援の進捗評価と、その意味を教えて")
    assert answer.project_ids[:1] == ["4-(1)-②"]
    meaning = kb.grades[kb.by_id["4-(1)-②"].grade].rstrip("。")
    assert meaning in answer.direct and answer.direct.count("見込み") == 1


def test_a_key_projects_status_states_its_grade_and_its_lead_figure(kb):
    direct = kb.answer("調べ学習の支援はどうなってる？").direct
    p = kb.by_id["4-(1)-②"]
    lead = figures.lead_indicator(p)
    s = figures.status(p, lead, kb.report.as_of_fy)
    assert f"進捗 {p.grade}" in direct and s.value.actual in direct


def test_a_word_that_stresses_asks_for_no_side_of_the_news(kb):
    assert kb.answer("今年度の目立った課題は？").brief.focus.value == "concerns"


def test_what_a_word_of_the_sheets_means_is_the_reports_own_gloss_of_it(kb, kb_next):
    for base in (kb, kb_next):
        answer = base.answer("パスファインダーって何のこと？")
        assert answer.route == "a word's gloss" and "パスファインダー(調べ方の手引き)" in answer.direct


def test_a_compound_whose_words_one_sheet_holds_is_not_missing(kb):
    answer = kb.answer("ボランティア養成講座は今年度何回やった？")
    assert answer.project_ids[:1] == ["4-(3)-①"] and answer.direct.startswith("2回")
    assert "記載はありません" in kb.answer("ドローン配送の実証実験").direct
