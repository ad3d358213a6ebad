"""Boilerplate off Vietnamese portals that trafilatura keeps: pointers to other stories, prompts
to follow the site, a paywall's pitch. They leave the body; the text around them stays."""

from __future__ import annotations

import pytest

from pipelines.extract.boilerplate import clean_paragraphs

TEXT = ("The council approved the new budget on Tuesday after a long debate about the costs of "
        "the planned school building and the repairs to the old town hall.")


@pytest.mark.parametrize("line", [
    "Read more: Tencent profit falls as Alibaba threat and economic woes weigh",
    "Lea también: Impiden ingreso a Nicaragua a reportero y camarógrafo estadounidense",
    "VEA TAMBIÉN: Entre heces y guaricha: Estrella de la educación no brilla",
    "Related: The 15 Weirdest Galaxies in Our Universe",
    "Leggi anche",
    "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
    "¿Ya sabías que en Guatemala.com tenemos canal de Telegram? Únete desde tu celular.",
    "To view the full story, please subscribe to The Haitian Times.",
    "Subscribe now to our eNATION edition for the full story.",
])
def test_pointers_prompts_and_pitches_leave_the_body(line: str) -> None:
    assert clean_paragraphs([TEXT, line, TEXT + " Again."]) == [TEXT, TEXT + " Again."]


@pytest.mark.parametrize("line", [
    "Related questions were raised by the opposition, who asked why the school costs rose.",
    "The mayor said residents can follow the debate on the council's website.",
    "Subscribers to the town newsletter were told about the budget last week.",
])
def test_ordinary_sentences_stay(line: str) -> None:
    assert clean_paragraphs([TEXT, line, TEXT]) == [TEXT, line, TEXT]
