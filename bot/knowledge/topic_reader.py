"""/ask's second reader: which topic a question is about, learnt from patients' own questions.

The phrase matcher (bot/domain/ask.py) knows the words someone wrote down; this reader has
seen how patients write (questions/*.yaml: labelled batches written by people who never saw
the phrase lists). It is a complement naive Bayes over character n-grams of 2 to 5 letters
within words and over words and word pairs, each block weighted by TF-IDF (sublinear counts,
unit length): the model and weighting of scikit-learn's ComplementNB and TfidfVectorizer,
written here in a few lines of numpy because scikit-learn would add about 120 MiB to every
bot process. Trained when the knowledge base loads (a fraction of a second).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import yaml

from bot.domain.knowledge import REFERRED, TopicGuess

QUESTIONS_FOLDER = Path(__file__).parent / "questions"
LETTERS = (2, 5)  # character n-gram sizes, within a word and its edges
SMOOTHING = 0.3  # ComplementNB's alpha, chosen by leaving one batch out
_WORD = re.compile(r"(?u)\b\w\w+\b")


def labelled_questions(folder: Path = QUESTIONS_FOLDER) -> list[tuple[str, str]]:
    """(question, topic) pairs of every batch; REFERRED for a question only a referral answers."""
    pairs = []
    for path in sorted(folder.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            pairs.append((item["question"], item["topic"] or REFERRED))
    return pairs


def _letter_grams(text: str) -> Iterable[str]:
    for word in text.split():
        padded = f" {word} "
        for size in range(LETTERS[0], LETTERS[1] + 1):
            if len(padded) <= size:
                yield padded  # a short word counts once, whole
                break
            yield from (padded[i : i + size] for i in range(len(padded) - size + 1))


def _word_grams(text: str) -> Iterable[str]:
    words = _WORD.findall(text)
    yield from words
    yield from (f"{a} {b}" for a, b in itertools.pairwise(words))


class _Block:
    """One TF-IDF block: its vocabulary (terms seen in at least `min_documents` questions)."""

    def __init__(self, grams: Sequence[Counter[str]], min_documents: int) -> None:
        documents = Counter(term for counts in grams for term in counts)
        kept = sorted(term for term, n in documents.items() if n >= min_documents)
        self.index = {term: i for i, term in enumerate(kept)}
        total = len(grams)
        self.idf = np.array([math.log((1 + total) / (1 + documents[t])) + 1 for t in kept])

    def vector(self, counts: Counter[str]) -> tuple[list[int], np.ndarray]:
        """Positions and weights of a question's known terms, unit length."""
        known = [t for t in counts if t in self.index]
        positions = [self.index[t] for t in known]
        tf = np.array([1 + math.log(counts[t]) for t in known])
        weights = tf * self.idf[positions] if positions else tf
        norm = float(np.linalg.norm(weights))
        return positions, weights / norm if norm else weights


class TopicReader:
    def __init__(self, labelled: Sequence[tuple[str, str]]) -> None:
        texts = [question.lower() for question, _ in labelled]
        self.labels = sorted({label for _, label in labelled})
        letters = [Counter(_letter_grams(t)) for t in texts]
        words = [Counter(_word_grams(t)) for t in texts]
        self._letters, self._words = _Block(letters, 2), _Block(words, 1)
        width = len(self._letters.index) + len(self._words.index)
        per_label = np.zeros((len(self.labels), width))
        for (_, label), counts in zip(labelled, zip(letters, words, strict=True), strict=True):
            positions, weights = self._features(*counts)
            per_label[self.labels.index(label), positions] += weights
        # Complement naive Bayes: each label is scored against what the other labels' questions
        # say, which holds up when some labels have few examples.
        complement = per_label.sum(axis=0) + SMOOTHING - per_label
        self._weights = -np.log(complement / complement.sum(axis=1, keepdims=True))

    def _features(self, letters: Counter[str], words: Counter[str]) -> tuple[list[int], np.ndarray]:
        at, letter_weights = self._letters.vector(letters)
        word_at, word_weights = self._words.vector(words)
        offset = len(self._letters.index)
        return at + [offset + i for i in word_at], np.concatenate([letter_weights, word_weights])

    def read(self, question: str) -> TopicGuess:
        """The topic that scores highest and by how much it leads the next one."""
        text = question.lower()
        positions, weights = self._features(
            Counter(_letter_grams(text)), Counter(_word_grams(text))
        )
        scores = self._weights[:, positions] @ weights
        first, second = np.argsort(-scores)[:2]
        return TopicGuess(self.labels[first], float(scores[first] - scores[second]))
