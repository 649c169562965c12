"""Downstream utility: can a model trained on synthetic letters stand in for one trained on originals?

Two spaCy NER models, identical in architecture, seed and number of passes, are trained on the training
split: one on the original letters, one on their synthetic versions. Both use silver labels from the same
labeller (the project's medical recognizer) applied to the text they train on, and both are scored on the
held-out originals with the same labeller's spans as reference. The split is by letter id (a hash), so it
is the same whatever the order of the input. This is a quick check (blank English pipeline, a few passes),
not a tuned clinical NER: compare the two F1 figures with each other, not with published ones.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass
from typing import Callable, Sequence

import spacy
from spacy.training import Example
from spacy.util import filter_spans, minibatch

from syndeid.records import Span

Labeller = Callable[[str], list[Span]]


@dataclass(frozen=True)
class LetterPair:
    id: str
    original: str
    synthetic: str


@dataclass(frozen=True)
class NerScores:
    precision: float
    recall: float
    f1: float


def is_held_out(letter_id: str, test_share: float) -> bool:
    digest = hashlib.sha256(letter_id.encode()).digest()
    return int.from_bytes(digest[:4], "little") / 2**32 < test_share


def split_pairs(pairs: Sequence[LetterPair], test_share: float) -> tuple[list[LetterPair], list[LetterPair]]:
    """(train, test) by letter id; each side gets at least one letter when there are two or more."""
    train = [p for p in pairs if not is_held_out(p.id, test_share)]
    test = [p for p in pairs if is_held_out(p.id, test_share)]
    if len(pairs) >= 2 and not test:
        test, train = train[-1:], train[:-1]
    if len(pairs) >= 2 and not train:
        train, test = test[:1], test[1:]
    return train, test


def _example(nlp, text: str, spans: list[Span]) -> Example:
    predicted = nlp.make_doc(text)
    reference = nlp.make_doc(text)
    ents = [reference.char_span(s.start, s.end, label=s.label, alignment_mode="contract") for s in spans]
    reference.ents = filter_spans([e for e in ents if e is not None])
    return Example(predicted, reference)


def train_ner(texts_and_spans: list[tuple[str, list[Span]]], labels: Sequence[str], iterations: int, seed: int):
    """A blank English spaCy pipeline with one NER component trained on the given silver spans."""
    logging.getLogger("spacy").setLevel(logging.WARNING)  # its INFO lines on initialize say nothing to a user
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in labels:
        ner.add_label(label)
    examples = [_example(nlp, text, spans) for text, spans in texts_and_spans]
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)
    for _ in range(iterations):
        order.shuffle(examples)
        for batch in minibatch(examples, size=4):
            nlp.update(batch, sgd=optimizer, drop=0.1, losses={})
    return nlp


def score_ner(nlp, texts_and_spans: list[tuple[str, list[Span]]]) -> NerScores:
    examples = [_example(nlp, text, spans) for text, spans in texts_and_spans]
    scored = nlp.evaluate(examples)
    return NerScores(
        precision=float(scored.get("ents_p") or 0.0),
        recall=float(scored.get("ents_r") or 0.0),
        f1=float(scored.get("ents_f") or 0.0),
    )


def ner_utility(
    pairs: Sequence[LetterPair], labeller: Labeller, iterations: int = 10, test_share: float = 0.2, seed: int = 0
) -> dict:
    """Train on originals vs on synthetic letters, score both on held-out originals."""
    train, test = split_pairs(pairs, test_share)
    if not train or not test:
        return {"skipped": "needs at least two letters"}
    test_set = [(p.original, labeller(p.original)) for p in test]
    original_set = [(p.original, labeller(p.original)) for p in train]
    synthetic_set = [(p.synthetic, labeller(p.synthetic)) for p in train]
    labels = sorted({s.label for _, spans in original_set + synthetic_set + test_set for s in spans})
    if not labels:
        return {"skipped": "the labeller found no entity in these letters"}
    results = {}
    for name, training in (("trained_on_original", original_set), ("trained_on_synthetic", synthetic_set)):
        scores = score_ner(train_ner(training, labels, iterations, seed), test_set)
        results[name] = {"precision": scores.precision, "recall": scores.recall, "f1": scores.f1}
    return {
        **results,
        "f1_gap": results["trained_on_original"]["f1"] - results["trained_on_synthetic"]["f1"],
        "train_letters": len(train),
        "test_letters": len(test),
        "labels": labels,
        "iterations": iterations,
        "test_share": test_share,
        "method": "spaCy blank English NER, silver labels from the medical recognizer, few passes: a quick check",
    }
