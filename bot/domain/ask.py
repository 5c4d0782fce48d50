"""/ask: a patient's question → the topic and the drugs it is about → the facts that answer it.

Conservative by design: a wrong answer is worse than "I don't know", so a tie between topics,
or a subject the knowledge base does not cover, gives "I don't know". Two readers decide the
topic: the phrase matcher here and a classifier trained on patients' own questions
(KnowledgeBase.read_topic); they must agree, and when the matcher finds nothing the classifier
alone must be clear. Which drugs: the ones the
question names; else the patient's own (each of them: the facts differ per drug); a question
about another medicine ("can I drink on amoxicillin?") gets the general advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.knowledge import (
    CLASS,
    HINT_CAP,
    NOT_COVERED,
    OTHER_MEDICINE,
    REFERRED,
    DrugInfo,
    Fact,
    KnowledgeBase,
    Topic,
    TopicGuess,
)
from bot.domain.wording import Match, Wording, longest_first

MAX_DRUGS = 3  # a question for a patient on more covered drugs answers the first three
# Words that single out one of several drugs a question names, within FOCUS_REACH words before.
FOCUS_BEFORE = frozenset({"only", "just"})
FOCUS_REACH = 3
# How far the classifier's topic must lead its next one to answer alone (in its scores, which
# spread over about 0 to 7 on the labelled questions; chosen by leaving one batch out: no
# question only a referral answers led by 1.7 or more).
CLEAR_LEAD = 2.0


@dataclass(frozen=True, slots=True)
class DrugAnswer:
    drug: DrugInfo | None  # None: general advice, for any medicine
    facts: tuple[Fact, ...]
    # The drug has no facts of its own on the topic: these are the general advice.
    general: bool = False


@dataclass(frozen=True, slots=True)
class AskResult:
    topic: Topic | None
    answers: tuple[DrugAnswer, ...] = ()
    # Not understood because the two readers saw different topics: the patient is asked which.
    candidates: tuple[Topic, ...] = ()
    # The covered drugs the question is about (keys), for the buttons that ask which topic.
    about: tuple[str, ...] = ()

    @property
    def understood(self) -> bool:
        return self.topic is not None and bool(self.answers)

    @property
    def drug_keys(self) -> tuple[str, ...]:
        return tuple(answer.drug.key if answer.drug else "general" for answer in self.answers)


@dataclass(frozen=True, slots=True)
class _Subjects:
    drugs: tuple[DrugInfo, ...]  # covered drugs the question is about
    other_medicine: bool  # it names a medicine the knowledge base does not cover
    taken: frozenset[int]  # word positions of the names (not topic words)


def answer_question(kb: KnowledgeBase, question: str, patient_drugs: Sequence[str]) -> AskResult:
    """The facts answering a question: for the drugs it names, else the patient's, else general."""
    wording = Wording.read(question, kb.correct)
    subjects = _subjects(kb, wording, patient_drugs)
    matched = best_topic(topic_scores(kb, wording, taken=subjects.taken))
    guess = kb.read_topic(question)
    topic = agreed_topic(matched, guess)
    if topic is None:
        about = _keys(_drugs_for(subjects, None))
        return AskResult(None, candidates=_disputed(matched, guess), about=about)
    return answer_on(kb, topic, _drugs_for(subjects, topic))


def _disputed(matched: Topic | None, guess: TopicGuess | None) -> tuple[Topic, ...]:
    """The two topics when each reader saw a different one."""
    if matched is None or guess is None or guess.label in (REFERRED, matched.value):
        return ()
    return (matched, Topic(guess.label))


def _drugs_for(subjects: _Subjects, topic: Topic | None) -> tuple[DrugInfo, ...]:
    if subjects.other_medicine and topic is not Topic.INTERACTIONS:
        return ()  # "can I drink on amoxicillin?": that medicine, not the patient's own
    return subjects.drugs


def _keys(drugs: Sequence[DrugInfo]) -> tuple[str, ...]:
    return tuple(drug.key for drug in drugs)


def agreed_topic(matched: Topic | None, guess: TopicGuess | None) -> Topic | None:
    """The topic both readers see; the classifier's alone when the phrases found none and it
    is clear; else None ("I don't know": when two readers disagree, one of them is wrong)."""
    if guess is None:
        return matched
    if matched is not None:
        return matched if guess.label == matched.value else None
    if guess.label != REFERRED and guess.margin >= CLEAR_LEAD:
        return Topic(guess.label)
    return None


def answer_on(kb: KnowledgeBase, topic: Topic, drugs: Sequence[DrugInfo]) -> AskResult:
    """The facts on a topic for each drug (its own, else the general advice); the general
    advice alone when there is no drug."""
    if not drugs:
        facts = kb.general.get(topic, ())
        return AskResult(topic, (DrugAnswer(None, facts),) if facts else ())
    return AskResult(topic, tuple(_answer(kb, drug, topic) for drug in drugs[:MAX_DRUGS]))


def _answer(kb: KnowledgeBase, drug: DrugInfo, topic: Topic) -> DrugAnswer:
    own = drug.topics.get(topic, ())
    return DrugAnswer(drug, own) if own else DrugAnswer(drug, kb.general.get(topic, ()), True)


def _subjects(kb: KnowledgeBase, wording: Wording, patient_drugs: Sequence[str]) -> _Subjects:
    names = sorted(longest_first(kb.name_index.find(wording)), key=lambda m: m.span)
    # A covered drug's name is not a topic word; another medicine's may be ("ibuprofen").
    taken = frozenset(i for m in names if m.pattern.label != OTHER_MEDICINE for i in m.span)
    named = _unique(
        kb.drugs[m.pattern.label] for m in _focused(wording, names) if m.pattern.label in kb.drugs
    )
    if named:
        return _Subjects(named, False, taken)
    other = any(m.pattern.label in (OTHER_MEDICINE, "") for m in names)
    own = patient_medicines(kb, patient_drugs)
    classes = {m.pattern.label.removeprefix(CLASS) for m in names if _is_class(m)}
    of_kind = tuple(drug for drug in own if classes.intersection(drug.classes))
    if of_kind:  # "my blood pressure pills": the patient's drugs of that kind
        return _Subjects(of_kind, other, taken)
    # A kind the patient takes none of is another medicine ("ok with my antidepressant?").
    classes_at = {i for m in names if _is_class(m) for i in m.span}
    return _Subjects(own, other, taken - classes_at)


def _focused(wording: Wording, names: list[Match]) -> list[Match]:
    """The names the patient singles out ("I take zoloft and metoprolol but my question is
    only about the metoprolol"), else all of them."""
    focused = [m for m in names if _singled_out(wording.words, m.span)]
    return focused or names


def _singled_out(words: tuple[str, ...], span: tuple[int, ...]) -> bool:
    before = words[max(0, span[0] - FOCUS_REACH) : span[0]]
    after = words[span[-1] + 1 : span[-1] + 4]
    return bool(FOCUS_BEFORE.intersection(before)) or after == ("is", "the", "one")


def _is_class(match: Match) -> bool:
    return match.pattern.label.startswith(CLASS)


def patient_medicines(kb: KnowledgeBase, patient_drugs: Sequence[str]) -> tuple[DrugInfo, ...]:
    """The patient's medications that the knowledge base covers, in their order."""
    found = []
    for name in patient_drugs:
        wording = Wording.read(name, kb.correct)
        for match in longest_first(kb.name_index.find(wording)):
            if match.pattern.label in kb.drugs:
                found.append(kb.drugs[match.pattern.label])
                break
    return _unique(found)


def _unique(drugs: Iterable[DrugInfo]) -> tuple[DrugInfo, ...]:
    return tuple({drug.key: drug for drug in drugs}.values())


def topic_scores(
    kb: KnowledgeBase, wording: Wording, taken: frozenset[int] = frozenset()
) -> dict[str, float]:
    """How strongly the words point to each topic (and to subjects not covered)."""
    scores: dict[str, float] = {}
    chosen = longest_first(kb.topic_index.find(wording), taken)
    for match in chosen:
        scores[match.pattern.label] = scores.get(match.pattern.label, 0.0) + _weight(match)
    # Hints fill in the words no phrase took, and add up to at most HINT_CAP per topic.
    used = taken | {i for match in chosen for i in match.span}
    hints: dict[str, float] = {}
    for match in longest_first(kb.hint_index.find(wording), used):
        hints[match.pattern.label] = hints.get(match.pattern.label, 0.0) + _weight(match)
    for label, score in hints.items():
        scores[label] = scores.get(label, 0.0) + min(score, HINT_CAP)
    return scores


def _weight(match: Match) -> float:
    return match.pattern.weight * match.pattern.size


def best_topic(scores: dict[str, float]) -> Topic | None:
    """The one topic scoring highest; None on a tie or if an uncovered subject is as strong."""
    covered = {label: score for label, score in scores.items() if label != NOT_COVERED}
    if not covered:
        return None
    best = max(covered.values())
    leaders = [label for label, score in covered.items() if score == best]
    if len(leaders) > 1 or scores.get(NOT_COVERED, 0.0) >= best:
        return None
    return Topic(leaders[0])
