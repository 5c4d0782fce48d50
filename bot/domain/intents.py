"""Plain messages (no command) → what the patient means: a dose taken or skipped, a symptom,
thanks, a greeting, a safety question for /ask, or unclear with the commands likeliest wanted.

Read with one language's phrase file (knowledge/intents/<language>.yaml) in the grammar of
wording.py; emergencies were answered before this runs and are not looked for here. Negation
matters: "I didn't take it" is a skip, "I didn't skip it" a dose taken, "not dizzy anymore"
no new symptom (a note that it eased: SymptomLog.better). A forgotten dose is a skip, with
its reason, since what follows is the same: do not double the next one. Stopping a drug ("I
want to stop baclofen", "I stopped taking it") is never a skip but a QUESTION, for /ask's
warning about stopping; a doubt ("not sure if I took it") and a dose still to come ("haven't
taken it yet") record nothing: UNCLEAR, pointing to /meds and /log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.domain.journal import (
    DoseLog,
    LoggedWhen,
    SymptomLog,
    medication_and_dose,
    read_when,
    symptom_in,
    with_day_known,
)
from bot.domain.parsing import ParseError
from bot.domain.wording import (
    Correct,
    Match,
    PatternIndex,
    Wording,
    longest_first,
    plain,
    unchanged,
    words_of,
)

MAX_LENGTH = 4096  # Telegram's own limit for a message; anything beyond is not read
# How far back a negation reaches ("I haven't really taken it"), and on a word saying a
# symptom is over ("dizziness has now gone").
NEGATION_REACH = 3
OVER_REACH = 3
# A question word opens a question as its clause's first or second word ("so when is...").
QUESTION_START_REACH = 1
SUGGESTIONS = 3


class PlainKind(StrEnum):
    TOOK = "took"  # `dose` says what, how much and when
    SKIPPED = "skipped"  # `skip` says which (if said), when and why
    SYMPTOM = "symptom"  # `symptom`; `symptom.better`: it eased, not a new complaint
    THANKS = "thanks"  # thanks, or an acknowledgement ("ok", "great", "👍")
    GREETING = "greeting"  # hello, good morning, bye
    QUESTION = "question"  # a safety question: answer `text` with /ask
    UNCLEAR = "unclear"  # `suggestions`: the commands likeliest wanted, best first


class Command(StrEnum):
    """The commands an unclear message may be pointed to, in the order that breaks ties."""

    LOG = "log"
    ASK = "ask"
    MEDS = "meds"
    ADD = "add"
    REPORT = "report"
    CAREGIVER = "caregiver"
    SETTINGS = "settings"
    HELP = "help"


# Suggested when nothing points anywhere, or to make up the number.
DEFAULT_SUGGESTIONS = (Command.HELP, Command.LOG, Command.MEDS)


class Sign(StrEnum):
    """What a phrase of the phrase file says; several make a PlainKind."""

    TOOK = "took"
    SKIPPED = "skipped"
    FORGOT = "forgot"
    RAN_OUT = "ran_out"  # none to hand: ran out, left at home
    PENDING = "pending"  # still to take: "haven't taken it yet", "will take it later"
    DOUBT = "doubt"  # "not sure if I took it": /meds shows what was recorded
    STOPPING = "stopping"  # stopping or cutting down: a safety question, never a skip
    SYMPTOM = "symptom"
    BETTER = "better"
    SAFETY = "safety"  # a safety subject: alcohol, driving, pregnancy, other medicines
    QUESTION = "question"  # the form of a question: "can I", "is it safe", "?"
    THANKS = "thanks"
    GREETING = "greeting"


class SkipReason(StrEnum):
    SKIPPED = "skipped"  # chose not to, or did not
    FORGOT = "forgot"
    RAN_OUT = "ran_out"  # had none to hand


@dataclass(frozen=True, slots=True)
class SkipLog:
    medication: str | None  # None: "my pills", whatever was due
    # When the skipped dose was due; a plan ("I'll skip tonight's") is today's, a
    # part of the day said without a day ("forgot my evening dose") the latest begun.
    when: LoggedWhen
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class Plain:
    """What a plain message means. `kind` says what to answer; `dose`, `skip` and `symptom`
    are set whenever the message reports one, whatever the kind ("took it, feeling dizzy":
    TOOK with a symptom; "forgot my pills, what now?": QUESTION with a skip)."""

    kind: PlainKind
    dose: DoseLog | None = None
    skip: SkipLog | None = None
    symptom: SymptomLog | None = None
    suggestions: tuple[Command, ...] = ()  # UNCLEAR only
    # A dose taken at a time that is none ("at 25:00"): say so, record nothing.
    problem: ParseError | None = None
    text: str = ""  # the message as sent, stripped (what /ask answers)


_EVENTS = frozenset({Sign.TOOK, Sign.SKIPPED, Sign.FORGOT, Sign.RAN_OUT, Sign.SYMPTOM})
_SKIPS = {Sign.RAN_OUT: SkipReason.RAN_OUT, Sign.FORGOT: SkipReason.FORGOT}
_START = "start"  # label of a question_starts phrase


@dataclass(frozen=True)
class IntentLexicon:
    """One language's phrases (aliases expanded) for each sign, and the cue phrases of each
    command; the words that negate, say a symptom is over, or a dose is still to come."""

    language: str
    signs: Mapping[Sign, Sequence[str]]
    cues: Mapping[Command, Sequence[str]]
    negations: frozenset[str]
    no_words: frozenset[str] = frozenset()  # deny a thing, not a deed: "no headache"
    over: frozenset[str] = frozenset()  # after a symptom: it is over ("headache gone")
    not_yet: frozenset[str] = frozenset()  # a dose not taken is still to come ("yet")
    future: frozenset[str] = frozenset()  # a skip is a plan for today ("I'll skip")
    question_starts: Sequence[str] = ()  # a question only when opening a clause
    question_openers: frozenset[str] = frozenset()  # a question as a clause's first word
    not_meant: Sequence[str] = ()  # holds a sign's words without meaning it ("took a nap")
    alone: Mapping[str, Sign] = field(default_factory=dict)  # whole messages: "done", "ok"
    emoji: Mapping[str, str] = field(default_factory=dict)  # read as these words
    not_names: frozenset[str] = frozenset()  # after "took", never a medication's name
    medicine_word: str = "medicine"  # the patient's own medication names read as this
    correct: Correct = unchanged  # typo repair to this file's words (built by the loader)
    _signs: PatternIndex = field(init=False, repr=False, compare=False)
    _not_meant: PatternIndex = field(init=False, repr=False, compare=False)
    _cues: PatternIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = [(sign.value, text) for sign, texts in self.signs.items() for text in texts]
        entries += [(_START, text) for text in self.question_starts]
        object.__setattr__(self, "_signs", PatternIndex.of(entries))
        object.__setattr__(self, "_not_meant", PatternIndex.of(("", t) for t in self.not_meant))
        cues = [(command.value, text) for command, texts in self.cues.items() for text in texts]
        object.__setattr__(self, "_cues", PatternIndex.of(cues))

    @property
    def index(self) -> PatternIndex:
        """Every phrase of the file: what its typo repair may correct to."""
        return self._signs + self._not_meant + self._cues


def read_plain(
    text: str,
    medication_names: Sequence[str],
    lexicon: IntentLexicon,
    correct: Correct = unchanged,
) -> Plain:
    """What a message sent without a command means, for a patient taking `medication_names`;
    `correct`: the knowledge base's typo repair (drug and symptom words), tried after the
    lexicon's own. Never raises."""
    text = text[:MAX_LENGTH]
    spoken = _emoji_as_words(text, lexicon.emoji)
    wording = Wording.read(spoken, _either(lexicon.correct, correct))
    if not wording.words:
        return _unclear(Counter())
    wording, named = _with_medicines(wording, medication_names, lexicon.medicine_word)
    alone = lexicon.alone.get(" ".join(dict.fromkeys(wording.words)))  # "done ✅": "done"
    if alone is not None:
        return _alone(alone, text.strip())
    reading = _Reading(spoken, wording, named, lexicon)
    opened = any(
        word in lexicon.question_openers and (i == 0 or wording.clauses[i - 1] != clause)
        for i, (word, clause) in enumerate(zip(wording.words, wording.clauses, strict=True))
    )
    return reading.meaning(text.strip(), question="?" in spoken or opened)


def _either(first: Correct, then: Correct) -> Correct:
    def correct(word: str) -> str:
        fixed = first(word)
        return fixed if fixed != word else then(word)

    return correct


def _emoji_as_words(text: str, emoji: Mapping[str, str]) -> str:
    for symbol, words in emoji.items():
        if symbol in text:
            text = text.replace(symbol, f" {words} ")
    return text


def _alone(sign: Sign, text: str) -> Plain:
    if sign is Sign.TOOK:
        return Plain(PlainKind.TOOK, dose=DoseLog(None, None, LoggedWhen()), text=text)
    if sign in (Sign.SKIPPED, Sign.FORGOT, Sign.RAN_OUT):
        reason = _SKIPS.get(sign, SkipReason.SKIPPED)
        return Plain(PlainKind.SKIPPED, skip=SkipLog(None, LoggedWhen(), reason), text=text)
    kinds = {Sign.THANKS: PlainKind.THANKS, Sign.GREETING: PlainKind.GREETING}
    return Plain(kinds.get(sign, PlainKind.UNCLEAR), text=text)


def _unclear(scores: Counter[Command]) -> Plain:
    """UNCLEAR with the commands scoring highest (ties in Command order), then the defaults."""
    order = list(Command)
    ranked = sorted(
        (c for c in scores if scores[c] > 0), key=lambda c: (-scores[c], order.index(c))
    )
    ranked += DEFAULT_SUGGESTIONS
    return Plain(PlainKind.UNCLEAR, suggestions=tuple(dict.fromkeys(ranked))[:SUGGESTIONS])


# ---- the patient's own medication names ---------------------------------------------------


def _with_medicines(
    wording: Wording, names: Sequence[str], medicine_word: str
) -> tuple[Wording, dict[int, str]]:
    """The wording with each mention of one of the patient's medications read as
    `medicine_word` (typos forgiven), and which medication each such word names."""
    named: dict[int, str] = {}
    for name in names:
        words = [w for w in words_of(name) if any(ch.isalpha() for ch in w)]
        if not words:
            continue
        for start in range(len(wording)):
            size = _name_at(wording, start, words)
            if size:
                named.update(dict.fromkeys(range(start, start + size), name))
    if not named:
        return wording, named
    corrected = tuple(
        medicine_word if i in named else word for i, word in enumerate(wording.corrected)
    )
    return Wording(wording.words, corrected, wording.clauses), named


def _name_at(wording: Wording, start: int, name: list[str]) -> int:
    """How many words of the message from `start` are the name: all of it, or its first
    word alone when that is distinctive ("vitamin" for "Vitamin D3")."""

    def fits(offset: int) -> bool:
        at = start + offset
        return at < len(wording) and any(
            _near(word, name[offset]) for word in (wording.words[at], wording.corrected[at])
        )

    if all(fits(offset) for offset in range(len(name))):
        return len(name)
    return 1 if len(name) > 1 and len(name[0]) >= 5 and fits(0) else 0


def _near(word: str, name: str) -> bool:
    if word == name:
        return True
    if len(name) < 5 or word[:1] != name[:1] or not word.isalpha():
        return False
    allowed = 1 if len(name) <= 8 else 2
    return abs(len(word) - len(name)) <= allowed and _edits(word, name) <= allowed


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps
    of neighbours ("bacolfen") each count one."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# ---- reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Said:
    sign: Sign
    match: Match


class _Reading:
    """One message: the signs its phrases make (after negation), and the text behind them."""

    def __init__(
        self, text: str, wording: Wording, named: dict[int, str], lexicon: IntentLexicon
    ) -> None:
        self.text, self.wording, self.named, self.lexicon = text, wording, named, lexicon
        self.spans = _word_spans(text, wording)
        self.said = _signs(wording, lexicon)
        self.signs = {said.sign for said in self.said}

    def meaning(self, original: str, *, question: bool) -> Plain:
        found = Plain(
            PlainKind.UNCLEAR,
            dose=self._dose() if Sign.TOOK in self.signs else None,
            skip=self._skip(),
            symptom=self._symptom(),
            text=original,
        )
        problem = None
        if found.dose is None and Sign.TOOK in self.signs:
            problem = self._time_problem()
        kind = self._kind(question or Sign.QUESTION in self.signs)
        if kind is PlainKind.UNCLEAR:
            return replace(_unclear(self._cues() + self._boost()), text=original)
        return replace(found, kind=kind, problem=problem)

    def _kind(self, question: bool) -> PlainKind:
        signs = self.signs
        if question and not (signs and signs <= {Sign.THANKS, Sign.GREETING}):
            return self._question_kind()
        if Sign.STOPPING in signs:
            return PlainKind.QUESTION  # stopping is for /ask to warn about, never a skip
        if Sign.DOUBT in signs:
            return PlainKind.UNCLEAR  # "not sure if I took it": not a dose to record
        if Sign.TOOK in signs:
            return PlainKind.TOOK
        if signs & {Sign.SKIPPED, Sign.FORGOT, Sign.RAN_OUT}:
            return PlainKind.SKIPPED
        if Sign.PENDING in signs:
            return PlainKind.UNCLEAR
        if signs & {Sign.SYMPTOM, Sign.BETTER}:
            return PlainKind.SYMPTOM
        if Sign.SAFETY in signs:
            # "wine with baclofen": for /ask; "doctor started me on gabapentin": /add.
            safety = sum(s.match.pattern.size for s in self.said if s.sign is Sign.SAFETY)
            commands = self._cues()
            del commands[Command.LOG], commands[Command.ASK]
            pointed = max(commands.values(), default=0) >= safety
            return PlainKind.UNCLEAR if pointed else PlainKind.QUESTION
        if Sign.THANKS in signs:
            return PlainKind.THANKS
        if Sign.GREETING in signs:
            return PlainKind.GREETING
        return PlainKind.UNCLEAR

    def _question_kind(self) -> PlainKind:
        """A question is for /ask when it is about safety or something that happened; it
        is unclear when it points to a command ("how do I add a medicine?", "when is my
        next dose?") or when only a "?" made it one."""
        signs = self.signs
        if Sign.DOUBT in signs:
            return PlainKind.UNCLEAR  # "did I take my pills?": /meds shows it
        if signs & (_EVENTS | {Sign.SAFETY, Sign.STOPPING, Sign.BETTER, Sign.PENDING}):
            return PlainKind.QUESTION
        cues = self._cues()
        if any(cues[c] for c in cues if c not in (Command.LOG, Command.ASK)):
            return PlainKind.UNCLEAR
        return PlainKind.QUESTION if Sign.QUESTION in signs else PlainKind.UNCLEAR

    def _boost(self) -> Counter[Command]:
        """What a doubt or a dose still to come points to: /meds shows what was recorded,
        /log records it once taken."""
        if Sign.DOUBT in self.signs:
            return Counter({Command.MEDS: 2, Command.LOG: 1})
        if Sign.PENDING in self.signs:
            return Counter({Command.LOG: 3, Command.MEDS: 1})
        return Counter()

    def _cues(self) -> Counter[Command]:
        scores: Counter[Command] = Counter()
        for match in longest_first(self.lexicon._cues.find(self.wording)):
            scores[Command(match.pattern.label)] += match.pattern.size
        return scores

    # -- the text behind the signs

    def _positions(self, signs: set[Sign]) -> list[int]:
        return sorted({i for said in self.said if said.sign in signs for i in said.match.span})

    def _region(self, signs: set[Sign]) -> tuple[str, list[int]]:
        """The clauses of these signs, and after each the clauses that say nothing else
        ("took it. about an hour ago"): their text and word positions."""
        clauses = {self.wording.clauses[i] for i in self._positions(signs)}
        others = {
            self.wording.clauses[i]
            for said in self.said
            if said.sign not in signs
            for i in said.match.span
        }
        last = self.wording.clauses[-1]
        for clause in sorted(clauses):
            following = clause + 1
            while following <= last and following not in others:
                clauses.add(following)
                following += 1
        positions = [i for i, c in enumerate(self.wording.clauses) if c in clauses]
        return self._text_of(positions), positions

    def _text_of(self, positions: Sequence[int]) -> str:
        if not positions:
            return ""
        if self.spans is None:  # an odd character moved the words: read the plain words
            return " ".join(self.wording.words[i] for i in positions)
        # Neighbouring words are quoted with what stands between them ("9.30pm", "2.5 mg").
        pieces, run = [], [positions[0]]
        for position in positions[1:]:
            if position == run[-1] + 1:
                run.append(position)
            else:
                pieces.append(self.text[self.spans[run[0]][0] : self.spans[run[-1]][1]])
                run = [position]
        pieces.append(self.text[self.spans[run[0]][0] : self.spans[run[-1]][1]])
        return ", ".join(pieces)

    def _medication(self, signs: set[Sign], positions: Sequence[int]) -> str | None:
        """The patient's medication named in the region; else the name after the verb."""
        mentioned = {self.named[i] for i in positions if i in self.named}
        if mentioned:
            return mentioned.pop() if len(mentioned) == 1 else None
        # The words after the phrase's first, not its own: "took the ibuprofen tablets".
        phrases = [said.match for said in self.said if said.sign in signs]
        phrase = min(phrases, key=lambda match: match.start, default=None)
        if phrase is None:
            return None
        after = [i for i in positions if i > phrase.start and i not in phrase.span]
        try:
            _, rest = read_when(self._text_of(after))
        except ParseError:
            return None
        name, _ = medication_and_dose(rest)
        return self._name_in(name or "")

    def _name_in(self, text: str) -> str | None:
        """What may be a medication's name ("ibuprofen", "vitamin d3"): at most two words
        once those that never are one ("take", "just", "now") are gone."""
        words = [w for w in text.split() if plain(w).strip(".,!?") not in self.lexicon.not_names]
        if not 1 <= len(words) <= 2:
            return None
        if not any(sum(ch.isalpha() for ch in word) >= 3 for word in words):
            return None
        return " ".join(words)

    def _dose(self) -> DoseLog | None:
        signs = {Sign.TOOK}
        text, positions = self._region(signs)
        try:
            when, rest = read_when(text)
        except ParseError:
            return None
        _, amount = medication_and_dose(rest)
        return DoseLog(self._medication(signs, positions), amount, when)

    def _time_problem(self) -> ParseError | None:
        try:
            read_when(self._region({Sign.TOOK})[0])
        except ParseError as error:
            return error
        return None

    def _skip(self) -> SkipLog | None:
        signs = {Sign.SKIPPED, Sign.FORGOT, Sign.RAN_OUT} & self.signs
        if not signs:
            return None
        text, positions = self._region(signs)
        try:
            when, _ = read_when(text)
        except ParseError:
            when = LoggedWhen()
        if any(self.wording.words[i] in self.lexicon.future for i in positions):
            when = with_day_known(when)
        reason = next((_SKIPS[s] for s in (Sign.RAN_OUT, Sign.FORGOT) if s in signs), None)
        return SkipLog(self._medication(signs, positions), when, reason or SkipReason.SKIPPED)

    def _symptom(self) -> SymptomLog | None:
        for signs, better in (({Sign.SYMPTOM}, False), ({Sign.BETTER}, True)):
            if signs & self.signs:
                clauses = {self.wording.clauses[i] for i in self._positions(signs)}
                positions = [i for i, c in enumerate(self.wording.clauses) if c in clauses]
                return symptom_in(self._text_of(positions), better=better)
        return None


def _word_spans(text: str, wording: Wording) -> list[tuple[int, int]] | None:
    """Where each word of the wording stands in the text (to quote the patient's own
    spelling: "7:30 pm", "2.5 mg"), or None if an odd character makes them differ."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for at, char in enumerate(f"{text} "):
        folded = plain(char)
        if folded and folded.isalnum():
            start = at if start is None else start
            continue
        if not folded and start is not None:
            continue  # an apostrophe or accent inside a word: "can't"
        if start is not None:
            spans.append((start, at))
            start = None
    words = [(s, e) for s, e in spans if plain(text[s:e]) not in ("but", "though")]
    if [plain(text[s:e]) for s, e in words] != list(wording.words):
        return None
    return words


def _signs(wording: Wording, lexicon: IntentLexicon) -> list[_Said]:
    """The signs the message's phrases make: one clause each, never a phrase it does not
    mean, longer phrases first, then turned by a negation before them."""
    harmless = {
        i
        for match in lexicon._not_meant.find(wording)
        if _one_clause(wording, match)
        for i in match.span
    }
    matches = [
        match
        for match in lexicon._signs.find(wording)
        if _one_clause(wording, match)
        and not harmless.intersection(match.span)
        and (match.pattern.label != _START or _opens_clause(wording, match.start))
    ]
    chosen = longest_first(matches)
    spoken = {i for match in chosen for i in match.span}
    # Clauses saying a dose is still to come: "haven't taken it yet".
    later = {c for w, c in zip(wording.words, wording.clauses, strict=True) if w in lexicon.not_yet}
    return [
        _Said(
            _turned(wording, match, lexicon, spoken, wording.clauses[match.start] in later), match
        )
        for match in chosen
    ]


def _one_clause(wording: Wording, match: Match) -> bool:
    return wording.clauses[match.span[0]] == wording.clauses[match.span[-1]]


def _opens_clause(wording: Wording, start: int) -> bool:
    """The word is among the first of its clause: "what ...", "so when ..."."""
    first = start
    while first > 0 and wording.clauses[first - 1] == wording.clauses[start]:
        first -= 1
    return start - first <= QUESTION_START_REACH


def _turned(
    wording: Wording, match: Match, lexicon: IntentLexicon, spoken: set[int], later: bool
) -> Sign:
    """The sign a phrase makes once negations are read: "didnt take" was never a TOOK
    phrase, but "never took it" turns one into a skip, "not dizzy" a symptom into better;
    `later`: its clause says the dose is still to come."""
    sign = Sign(Sign.QUESTION if match.pattern.label == _START else match.pattern.label)
    things = sign in (Sign.SYMPTOM, Sign.BETTER)
    denials = lexicon.negations | lexicon.no_words if things else lexicon.negations
    negative_phrase = match.pattern.starts_with in lexicon.negations | lexicon.no_words
    denied = not negative_phrase and _denied(wording, match, denials, spoken)
    if sign is Sign.TOOK and denied:
        return Sign.PENDING if later else Sign.SKIPPED
    if sign is Sign.SKIPPED and negative_phrase and later:
        return Sign.PENDING  # "haven't taken it yet"
    if sign in (Sign.SKIPPED, Sign.FORGOT) and denied:
        return Sign.TOOK  # "didn't forget", "never skip"
    if sign is Sign.SYMPTOM and (denied or _over(wording, match, lexicon)):
        return Sign.BETTER
    if sign is Sign.BETTER and denied:
        return Sign.SYMPTOM  # "not feeling better"
    return sign


def _denied(wording: Wording, match: Match, words: frozenset[str], spoken: set[int]) -> bool:
    """A negation shortly before the phrase, or in a gap inside it, in the same clause and
    no part of another phrase ("not sure if I took it" is a doubt, not a skip)."""
    clause = wording.clauses[match.start]
    reach = range(max(0, match.start - NEGATION_REACH), match.span[-1])
    return any(
        wording.words[at] in words
        and wording.clauses[at] == clause
        and at not in match.span
        and at not in spoken
        for at in reach
    )


def _over(wording: Wording, match: Match, lexicon: IntentLexicon) -> bool:
    """A word just after a symptom saying it is over: "headache gone", "not dizzy anymore"."""
    end, clause = match.span[-1], wording.clauses[match.span[-1]]
    after = range(end + 1, min(len(wording), end + 1 + OVER_REACH))
    return any(wording.words[at] in lexicon.over and wording.clauses[at] == clause for at in after)
