"""Shared fixtures. One local Ray per test session (2 cores: never one per test)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data not present (public corpora)")


@pytest.fixture(scope="session")
def detector():
    """The masker's PHI detector, set up once for every PHI test."""
    from syndeid.phi.detector import PhiDetector

    detector = PhiDetector()
    detector.setup()
    return detector


def spans_of(detector, text: str) -> list[tuple[str, str]]:
    """The detected spans of ``text`` as (string, label) pairs."""
    return [(text[s.start : s.end], s.label) for s in detector.detect_texts([text])[0]]


def covered(detector, text: str, needle: str) -> str | None:
    """The label of the detected span that covers ``needle`` entirely, or None."""
    start = text.index(needle)
    for span in detector.detect_texts([text])[0]:
        if span.start <= start and start + len(needle) <= span.end:
            return span.label
    return None


@pytest.fixture(scope="session")
def ray_session():
    import ray

    if not ray.is_initialized():
        # address="local": always a fresh local instance, never a cluster that a test started with `ray start`.
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


TINY_MLM_WORDS = """
the a an and or of to in on at by for with from as is was were be been are has had have not no
patient patients he she his her they their this that which who after before during over under
history present illness pain chest abdominal back head neck left right upper lower acute chronic
mild moderate severe denies reports states noted seen examined admitted discharged started stopped
daily twice times day days week weeks month months year years old male female man woman
blood pressure heart rate normal abnormal exam examination physical review systems negative positive
medication medications mg tablet dose given taken prescribed allergies known surgery procedure
diagnosis plan follow up clinic hospital emergency room doctor nurse family social alcohol tobacco
fever cough nausea vomiting diarrhea headache dizziness fatigue weakness swelling rash infection
diabetes hypertension asthma cancer stroke fracture pneumonia anemia disease disorder syndrome
lungs clear sounds regular rhythm murmur soft tender nontender distended bowel skin warm dry
alert oriented awake stable improved worse better again also then today yesterday tomorrow
mr mrs ms dr john mary smith jones brown boston street city county name date phone record
""".split()
TINY_MLM_SUFFIXES = ["##s", "##ed", "##ing", "##ly", "##er", "##al", "##ion", "##ness", "##ic"]


@pytest.fixture(scope="session")
def tiny_mlm_dir(tmp_path_factory) -> Path:
    """A tiny randomly initialised BertForMaskedLM with a real WordPiece tokenizer, saved in a tmp dir,
    so tests never need the hub or the packaged default model."""
    import string

    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast

    directory = tmp_path_factory.mktemp("tiny_mlm")
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused0]", "[unused1]"]
    characters = list(string.ascii_lowercase + string.digits + string.punctuation)
    pieces = TINY_MLM_SUFFIXES + ["##" + c for c in string.ascii_lowercase + string.digits]
    vocab = list(dict.fromkeys(specials + characters + pieces + TINY_MLM_WORDS))
    tokenizer = BertTokenizerFast(vocab={token: i for i, token in enumerate(vocab)}, do_lower_case=True, model_max_length=128)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=128,
        max_position_embeddings=128,
    )
    BertForMaskedLM(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory
