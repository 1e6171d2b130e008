"""The span that answers is pulled out of a quoted sentence, as a substring of it."""

from __future__ import annotations

import pytest

from knowledge.spans import any_figure, cause_span, figure_span, language_span, place_span, when_span


@pytest.mark.parametrize(
    ("text", "unit", "span"),
    [
        ("区内22か所に設置となり令和5年度と比較し2倍となった。", "か所", "22か所"),
        ("区内22ヶ所に設置", "箇所", "22ヶ所"),
        ("区有施設にブックポストを6台増設した。", "台", "6台"),
        ("令和6年度より電子申請を開始し、月に20件程度の申請", "件", "月に20件程度"),
        ("ビジネス業界紙を約250冊設置", "冊", "約250冊"),
        ("令和6年度末に比べ1.5倍以上増加した。", "倍", "1.5倍以上"),
        ("利用意向率は69.1%で、高い水準である。", "%", "69.1%"),
        ("講座を実施した。", "回", ""),
    ],
)
def test_a_counter_word_finds_its_figure(text, unit, span):
    assert figure_span(text, unit) == span


def test_a_figure_without_a_counter_word_is_the_one_after_the_words_asked_about():
    text = "令和7年度末の登録者数は1,711人で、令和6年度末に比べ1.5倍以上増加した。"
    assert any_figure(text, after="登録者数") == "1,711人"
    assert any_figure(text, after="比べ") == "1.5倍以上"
    assert any_figure("パスファインダーを9つ作成し") == "9つ"


@pytest.mark.parametrize(
    ("fn", "text", "span"),
    [
        (when_span, "5月から図書館ホームページでレファレンスサービスの受付を開始", "5月から"),
        (when_span, "令和6年度より電子申請を開始し", "令和6年度より"),
        (language_span, "外国語資料を用いた英語によるおはなし会の実施", "英語"),
        (language_span, "外国語資料の収集", ""),
        (place_span, "赤坂図書館に利用者同士がおすすめの本を紹介し合える展示棚を設置", "赤坂図書館"),
        (cause_span, "大規模改修工事の入札手続き中止により工事が延期", "大規模改修工事の入札手続き中止により"),
    ],
)
def test_dates_languages_places_and_causes_are_pulled_out(fn, text, span):
    assert fn(text) == span
    assert span in text
