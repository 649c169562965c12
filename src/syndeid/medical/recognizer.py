"""Medical entities the masker must keep: drug and disease names matched from the shipped lexicon.

The lexicon (src/syndeid/resources/medical_terms.txt.gz, built by scripts/build_resources.py) holds DrugBank
names and synonyms, MedlinePlus/Wikipedia drug and brand names and MeSH disease entry terms, lower-cased,
without very short or everyday single words. Matching is on lower-cased spaCy tokens, so "ASTHMA", "Asthma"
and "asthma" all match, and multi-word terms match only whole tokens.
"""

from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from syndeid.records import MEDICAL, Span
from syndeid.resources import read_lines

LEXICON = "medical_terms.txt.gz"


class MedicalRecognizer:
    name = "medical-lexicon"

    def __init__(self, terms: list[str] | None = None):
        self._terms = terms
        self._matcher: PhraseMatcher | None = None
        self._vocab = None

    def setup(self, nlp=None) -> None:
        """Build the phrase matcher over the pipeline's tokenizer (the masker's pipeline by default)."""
        if self._matcher is not None:
            return
        if nlp is None:
            from syndeid.masking.nlp import load_pipeline

            nlp = load_pipeline()
        terms = self._terms if self._terms is not None else read_lines(LEXICON)
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        matcher.add(MEDICAL, list(nlp.tokenizer.pipe(terms, batch_size=1000)))
        self._matcher, self._vocab = matcher, nlp.vocab

    def detect_texts(self, texts: list[str]) -> list[list[Span]]:
        """Medical spans of each text, running the masker's spaCy pipeline itself (tokenizer only)."""
        from syndeid.masking.nlp import load_pipeline

        nlp = load_pipeline()
        self.setup(nlp)
        return [self.find(text, doc) for text, doc in zip(texts, nlp.tokenizer.pipe(texts, batch_size=64))]

    def find(self, text: str, doc: Doc) -> list[Span]:
        """Non-overlapping medical spans, longest match first where matches overlap."""
        if self._matcher is None:
            self.setup()
        if doc.vocab is not self._vocab:
            raise ValueError("the doc comes from a different spaCy pipeline than the one the matcher was built on")
        matches = sorted(self._matcher(doc), key=lambda m: (m[1] - m[2], m[1]))  # longest, then leftmost
        taken = [False] * len(doc)
        spans = []
        for _, start, end in matches:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            spans.append(Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), MEDICAL))
        return sorted(spans)
