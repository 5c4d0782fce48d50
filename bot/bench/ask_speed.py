"""The `ask` scenario: how fast /ask reads questions and the emergency detector reads
messages, in the bench's own process (no database, no Telegram: the matcher's own cost)."""

from __future__ import annotations

import time
from dataclasses import replace

from bot.bench.report import Figure, Section
from bot.domain.ask import answer_question
from bot.domain.knowledge import KnowledgeBase, no_second_reader
from bot.knowledge.loader import load_knowledge
from bot.knowledge.topic_reader import labelled_questions

PATIENT_DRUGS = ("Baclofen", "Sertraline")  # two covered drugs: an answer for each


def ask_speed() -> Section:
    """Every labelled question once (distinct, so no cache helps), with the phrases alone as
    before issue 8's second reader, and with both readers."""
    started = time.perf_counter()
    kb = load_knowledge()
    loaded = time.perf_counter() - started
    questions = [question for question, _ in labelled_questions()]
    section = Section("ask")
    section.add(
        Figure("questions", "distinct questions", len(questions)),
        Figure("load_s", "knowledge base and reader loaded in", loaded, "s"),
        Figure(
            "phrases_alone",
            "/ask, phrases alone",
            _rate(replace(kb, read_topic=no_second_reader), questions),
            "/s",
        ),
        Figure("both_readers", "/ask, both readers", _rate(kb, questions), "/s"),
        Figure("emergencies", "emergency detector", _detector_rate(kb, questions), "/s"),
    )
    return section


def _rate(kb: KnowledgeBase, questions: list[str]) -> float:
    started = time.perf_counter()
    for question in questions:
        answer_question(kb, question, PATIENT_DRUGS)
    return len(questions) / (time.perf_counter() - started)


def _detector_rate(kb: KnowledgeBase, messages: list[str]) -> float:
    started = time.perf_counter()
    for message in messages:
        kb.emergencies_in(message)
    return len(messages) / (time.perf_counter() - started)
