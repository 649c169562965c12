"""Starting an MLM from a pretrained encoder without an MLM head, and pruning its vocabulary."""

from __future__ import annotations

import string

import pytest
import torch
from transformers import AutoModelForMaskedLM, AutoTokenizer, BertConfig, BertModel, BertTokenizerFast

from syndeid.training.pretrained import kept_pieces, mlm_from_encoder, prune_vocabulary

WORDS = "the patient was seen in clinic for chest pain and shortness of breath denies fever cough".split()


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory):
    """A tiny BERT encoder saved the way sentence-embedding packages ship it: BertModel weights (with a
    pooler), an uncased WordPiece tokenizer, no MLM head."""
    directory = tmp_path_factory.mktemp("encoder")
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    characters = [c for c in string.printable[:94]]
    pieces = ["##" + c for c in string.ascii_lowercase] + ["é", "##é", "unused", "##ness", "zebra"]
    vocab = list(dict.fromkeys(specials + characters + pieces + WORDS))
    BertTokenizerFast(vocab={t: i for i, t in enumerate(vocab)}, do_lower_case=True).save_pretrained(directory)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=256)
    BertModel(config).save_pretrained(directory)
    return directory


def test_the_encoder_weights_are_kept_and_a_head_is_added(encoder_dir):
    model, tokenizer = mlm_from_encoder(encoder_dir, max_positions=64)
    encoder = BertModel.from_pretrained(encoder_dir)
    layer = "encoder.layer.1.output.dense.weight"
    assert torch.equal(model.bert.state_dict()[layer], encoder.state_dict()[layer])
    assert model.config.max_position_embeddings == 64
    assert model.bert.embeddings.position_embeddings.weight.shape[0] == 64
    assert model.cls.predictions.decoder.weight.data_ptr() == model.bert.embeddings.word_embeddings.weight.data_ptr()
    ids = tokenizer("The patient was seen", return_tensors="pt")
    assert model(**ids).logits.shape[-1] == len(tokenizer)


def test_pruning_keeps_the_used_pieces_characters_and_specials(encoder_dir):
    model, tokenizer = mlm_from_encoder(encoder_dir)
    texts = ["The patient was seen in clinic.", "Chest pain, no fever."] * 3
    pieces = kept_pieces(tokenizer, texts, size=len(tokenizer) - 3)
    assert {"[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "a", "##a", "z", "##z"} <= set(pieces)
    assert {"patient", "clinic", "fever"} <= set(pieces)
    assert "zebra" not in pieces and "unused" not in pieces  # never used by the texts: pruned first


def test_pruned_model_predicts_as_before_on_kept_pieces(encoder_dir, tmp_path):
    model, tokenizer = mlm_from_encoder(encoder_dir)
    model.eval()
    text = "the patient was seen in clinic for chest pain"
    before = model(**tokenizer(text, return_tensors="pt")).logits
    pieces = kept_pieces(tokenizer, [text], size=5 + 2 * 94)
    pruned, pruned_tokenizer = prune_vocabulary(model, tokenizer, pieces)
    pruned.eval()
    encoded = pruned_tokenizer(text, return_tensors="pt")
    assert pruned_tokenizer.convert_ids_to_tokens(encoded["input_ids"][0]) == tokenizer.tokenize(text, add_special_tokens=True)
    after = pruned(**encoded).logits
    old_ids = [tokenizer.get_vocab()[p] for p in pieces]
    assert torch.allclose(after, before[..., old_ids], atol=1e-5)
    assert pruned_tokenizer("Zebra", add_special_tokens=False)["input_ids"] != [pruned_tokenizer.unk_token_id]

    pruned.half().save_pretrained(tmp_path)
    pruned_tokenizer.save_pretrained(tmp_path)
    reloaded = AutoModelForMaskedLM.from_pretrained(tmp_path, dtype=torch.float32)
    assert reloaded.config.vocab_size == len(pieces) == len(AutoTokenizer.from_pretrained(tmp_path))


def test_a_vocabulary_smaller_than_the_characters_is_refused(encoder_dir):
    _, tokenizer = mlm_from_encoder(encoder_dir)
    with pytest.raises(ValueError, match="cannot hold"):
        kept_pieces(tokenizer, ["text"], size=10)


def test_frequent_split_words_become_whole_entries_starting_from_their_pieces(encoder_dir):
    from syndeid.training.pretrained import extend_vocabulary, frequent_split_words

    model, tokenizer = mlm_from_encoder(encoder_dir)
    texts = ["Hyperdynamic wall. hyperdynamic again, and the patient."] * 5 + ["rare word qz"]
    words = frequent_split_words(tokenizer, texts, count=10, min_frequency=2)
    assert words == ["hyperdynamic", "wall", "again"]  # by frequency, then first seen; "patient" is whole, "qz" rare
    pieces = tokenizer("hyperdynamic", add_special_tokens=False)["input_ids"]
    old_embeddings = model.get_input_embeddings().weight.data.clone()
    old_bias = model.cls.predictions.bias.data.clone()

    extended, extended_tokenizer = extend_vocabulary(model, tokenizer, words)
    new_id = extended_tokenizer("Hyperdynamic", add_special_tokens=False)["input_ids"]
    assert new_id == [len(tokenizer)]
    assert torch.allclose(extended.get_input_embeddings().weight[new_id[0]], old_embeddings[pieces].mean(0))
    assert torch.allclose(extended.cls.predictions.bias[new_id[0]], old_bias[pieces].mean())
    assert torch.equal(extended.get_input_embeddings().weight[: len(tokenizer)], old_embeddings)
    assert extended.cls.predictions.decoder.weight.data_ptr() == extended.get_input_embeddings().weight.data_ptr()
    logits = extended(**extended_tokenizer("the wall again", return_tensors="pt")).logits
    assert logits.shape[-1] == len(tokenizer) + 3 == extended.config.vocab_size
