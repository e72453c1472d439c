"""media.cues: timed words into WebVTT cues, on crafted word lists."""

from dataclasses import dataclass

import pytest

from media.captions import check_webvtt, parse_timestamp
from media.cues import (
    MAX_CUE_MS,
    MAX_LINE_LENGTH,
    cues_from_words,
    to_webvtt,
    transcript_from_webvtt,
    webvtt_from_words,
)


@dataclass(frozen=True)
class W:
    text: str
    start: float
    end: float


def spoken(text, *, start=0.0, per_word=0.3, gap=0.05):
    """The words of `text` said one after the other, `per_word` seconds each."""
    words, time = [], start
    for token in text.split():
        words.append(W(token, round(time, 3), round(time + per_word, 3)))
        time += per_word + gap
    return words


def check_limits(cues):
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2, cue
        assert all(0 < len(line) <= MAX_LINE_LENGTH for line in cue.lines), cue
        assert 0 < cue.end - cue.start <= MAX_CUE_MS / 1000, cue
    starts = [cue.start for cue in cues]
    assert starts == sorted(starts)


def words_of(cues):
    return " ".join(" ".join(cue.lines) for cue in cues).split()


def test_no_words_no_cue():
    assert cues_from_words([]) == []
    assert cues_from_words([W("  ", 0, 1)]) == []
    assert webvtt_from_words([]) is None


def test_a_short_sentence_is_one_cue_on_its_own_timing():
    cues = cues_from_words(spoken("Bonjour à toutes et à tous.", start=1.2))
    assert len(cues) == 1
    assert cues[0].lines == ("Bonjour à toutes et à tous.",)
    assert cues[0].start == 1.2
    assert cues[0].end == pytest.approx(1.2 + 6 * 0.35 - 0.05)


def test_long_speech_respects_every_limit_and_keeps_every_word():
    text = " ".join(
        ["Aujourd'hui nous allons voir comment préparer un entretien d'embauche avec méthode"] * 6
    )
    cues = cues_from_words(spoken(text))
    check_limits(cues)
    assert len(cues) > 3
    assert words_of(cues) == text.split()
    assert any(len(cue.lines) == 2 for cue in cues)


def test_seven_seconds_at_most_even_for_slow_short_words():
    cues = cues_from_words(spoken("oui " * 30, per_word=0.6, gap=0.2))
    check_limits(cues)
    assert max(cue.end - cue.start for cue in cues) <= 7.0
    assert len(words_of(cues)) == 30


def test_two_lines_are_balanced():
    text = "Le conseiller vous aide à préparer votre candidature et à relire votre lettre"
    (cue,) = cues_from_words(spoken(text, per_word=0.2, gap=0.0))
    assert len(cue.lines) == 2
    assert abs(len(cue.lines[0]) - len(cue.lines[1])) <= 12


def test_a_cue_ends_at_the_sentence_end_rather_than_mid_sentence():
    text = (
        "Présentez-vous en quelques phrases simples. Parlez ensuite de votre dernier poste "
        "et de ce que vous y avez appris"
    )
    cues = cues_from_words(spoken(text))
    check_limits(cues)
    assert cues[0].lines[-1].endswith("simples.")


def test_a_cue_ends_at_a_pause():
    first = spoken("nous allons parler de la lettre de motivation", per_word=0.25)
    second = spoken(
        "puis du curriculum vitae et des entretiens de groupe", start=first[-1].end + 0.8, per_word=0.25
    )
    cues = cues_from_words(first + second)
    check_limits(cues)
    assert " ".join(cues[0].lines) == "nous allons parler de la lettre de motivation"


def test_a_long_silence_always_ends_the_cue():
    cues = cues_from_words([W("Bonjour.", 0.0, 0.5), W("Au", 3.0, 3.2), W("revoir.", 3.2, 3.6)])
    assert [cue.lines for cue in cues] == [("Bonjour.",), ("Au revoir.",)]
    assert cues[0].end <= 3.0


def test_a_word_longer_than_a_line_is_cut_into_lines():
    url = "https://www.francetravail.fr/candidat/mes-demarches/mes-candidatures"
    cues = cues_from_words([W("Allez", 0.0, 0.3), W("sur", 0.3, 0.5), W(url, 0.5, 3.0)])
    check_limits(cues)
    assert "".join(words_of(cues)).endswith(url)
    assert "".join(" ".join(cue.lines) for cue in cues).replace(" ", "") == "Allezsur" + url


def test_elisions_and_punctuation_stay_with_their_word():
    words = [
        W("J", 0.0, 0.1),
        W("'ai", 0.1, 0.3),
        W("une", 0.3, 0.5),
        W("question", 0.5, 0.9),
        W("?", 0.9, 0.9),
        W("Oui", 1.0, 1.2),
        W(",", 1.2, 1.2),
        W("bien", 1.2, 1.4),
        W("sûr", 1.4, 1.6),
        W("!", 1.6, 1.6),
    ]
    (cue,) = cues_from_words(words)
    assert " ".join(cue.lines) == "J'ai une question\u00a0? Oui, bien sûr\u00a0!"


def test_words_out_of_order_or_without_duration_still_make_valid_cues():
    words = [W("un", 1.0, 1.0), W("deux", 0.9, 0.9), W("trois", 9.0, 8.0), W("quatre", 9.0, 9.0)]
    cues = cues_from_words(words)
    check_limits(cues)
    vtt = to_webvtt(cues)
    assert check_webvtt(vtt.encode()) == len(cues)


def test_markup_characters_are_escaped_and_the_file_is_valid():
    words = spoken("Tapez <b> puis & puis --> dans la case")
    vtt = webvtt_from_words(words)
    assert "<b>" not in vtt and "&lt;b&gt;" in vtt and "&amp;" in vtt and "--&gt;" in vtt
    assert check_webvtt(vtt.encode()) == 1


def test_the_file_is_valid_and_its_timings_are_the_cues():
    text = " ".join(["Voici une phrase de test pour les sous-titres."] * 10)
    words = spoken(text, start=3599.0)  # across the hour
    cues = cues_from_words(words)
    vtt = webvtt_from_words(words)
    assert vtt.startswith("WEBVTT\n\n")
    assert check_webvtt(vtt.encode()) == len(cues)
    timings = [line.split(" --> ") for line in vtt.splitlines() if " --> " in line]
    assert [parse_timestamp(start) for start, _end in timings] == [cue.start for cue in cues]
    assert timings[-1][0].startswith("01:00:")


# ---------------------------------------------------------------------------
# Back to plain text for the transcript
# ---------------------------------------------------------------------------
def test_the_transcript_joins_cues_and_starts_a_paragraph_after_a_pause():
    vtt = (
        "WEBVTT Kind: captions\n\nNOTE made by speech to text\n\n"
        "1\n00:00.500 --> 00:02.000\nBonjour à toutes\net à tous.\n\n"
        "00:02.100 --> 00:04.000 align:start\nAujourd'hui, <i>le CV</i>.\n\n"
        "00:07.000 --> 00:08.000\nTapez &lt;b&gt; &amp; validez.\n"
    )
    assert transcript_from_webvtt(vtt) == (
        "Bonjour à toutes et à tous. Aujourd'hui, le CV.\n\nTapez <b> & validez."
    )


def test_the_transcript_of_generated_cues_has_every_word():
    text = "Bonjour. " + " ".join(["Voici une phrase de test pour les sous-titres."] * 5)
    words = spoken(text)
    words[1:] = [W(word.text, word.start + 3, word.end + 3) for word in words[1:]]  # a pause
    transcript = transcript_from_webvtt(webvtt_from_words(words).replace("\n", "\r\n"))
    first, second = transcript.split("\n\n")
    assert first == "Bonjour."
    assert second.split() == text.split()[1:]


def test_no_cue_no_transcript():
    assert transcript_from_webvtt("WEBVTT\n\nNOTE nothing\n") == ""
