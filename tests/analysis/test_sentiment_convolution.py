"""The convolutional half of the default sentiment model: numpy inference and its file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from analysis import sentiment
from analysis.sentiment_models import features
from analysis.sentiment_models.convolution import ConvSentimentModel
from analysis.sentiment_models.linear import LinearSentimentModel, ModelFileError

SHIPPED = resources.files("analysis.sentiment_models") / "default_cnn.npz"

TEXTS = [
    "Great job at the shooting range qualification!",
    "",
    "!!!",
    "not bad at all, not bad",
    "I love it 😂😂 so good👍 @user https://example.org/x",
    "can\\u2019t wait &amp; see",
    "word " * 100,  # longer than max_tokens: truncated
    "Arrested development, lol, apply anyway",
    "not bad at all, not bad",  # a repeat in the same batch
]


@pytest.fixture(scope="module")
def tokenizer_json() -> str:
    with resources.as_file(SHIPPED) as path:
        return ConvSentimentModel.load(path).tokenizer_json


def random_model(tokenizer_json: str, width: int = 6, channels: int = 5) -> ConvSentimentModel:
    from tokenizers import Tokenizer

    vocabulary = Tokenizer.from_str(tokenizer_json).get_vocab_size()
    rng = np.random.default_rng(7)
    return ConvSentimentModel(
        classes=sentiment.LABELS,
        tokenizer_json=tokenizer_json,
        table=rng.standard_normal((vocabulary, width)).astype(np.float16),
        conv_weight=rng.standard_normal((3, width, channels)).astype(np.float32),
        conv_bias=rng.standard_normal(channels).astype(np.float32),
        out_weight=rng.standard_normal((2 * channels, 3)),
        out_bias=rng.standard_normal(3),
        max_tokens=16,
        blend=0.4,
    )


def reference_scores(model: ConvSentimentModel, ids: list[int]) -> np.ndarray:
    """The network written out position by position, zero vectors beyond both ends."""
    x = model.table[ids].astype(np.float64)
    padded = np.vstack([np.zeros((1, x.shape[1])), x, np.zeros((1, x.shape[1]))])
    weight = model.conv_weight.astype(np.float64)
    hidden = np.array(
        [
            padded[t] @ weight[0] + padded[t + 1] @ weight[1] + padded[t + 2] @ weight[2]
            for t in range(len(ids))
        ]
    )
    hidden = np.maximum(hidden + model.conv_bias, 0.0)
    pooled = np.concatenate([hidden.max(axis=0), hidden.mean(axis=0)])
    return pooled @ model.out_weight + model.out_bias


def test_numpy_inference_equals_the_network_written_out(tokenizer_json: str) -> None:
    model = random_model(tokenizer_json)
    ids = model.token_ids(TEXTS)
    expected = np.array([reference_scores(model, seq) for seq in ids])
    np.testing.assert_allclose(model.decision(TEXTS), expected, rtol=1e-4, atol=1e-4)


def test_each_text_is_scored_on_its_own(tokenizer_json: str) -> None:
    model = random_model(tokenizer_json)
    together = model.decision(TEXTS)
    alone = np.vstack([model.decision([t]) for t in TEXTS])
    np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model.decision(TEXTS[::-1]), together[::-1], rtol=1e-5, atol=1e-5)
    assert model.decision([]).shape == (0, 3)


def test_tokens_come_from_the_normalised_text_and_are_capped(tokenizer_json: str) -> None:
    model = random_model(tokenizer_json)
    plain, with_job_word = model.token_ids(
        ["great job at the range", "Great job at the SHOOTING range"]
    )
    # Policing terms are removed before tokenising, as for the linear model.
    assert plain == with_job_word
    assert features.normalize("Great job at the SHOOTING range") == "great job at the range"
    assert all(len(seq) <= model.max_tokens for seq in model.token_ids(TEXTS))
    assert len(model.token_ids(["word " * 100])[0]) == model.max_tokens


ODD_TEXTS = [
    "tabs\tand\nnewlines  and   runs of spaces",
    "unicode\u2028line\u00a0breaks and\u3000ideographic space",
    "control\x1cchars\x1fhere",
    "中文字符 mixed with english",
    "Café naïve résumé — “quotes” and don't",
    "#hashtag @user!!! ??? ...",
    "supercalifragilisticexpialidocious" * 5,
]


def test_word_cache_tokenises_exactly_as_the_tokenizer(
    tokenizer_json: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.sentiment_models import convolution

    model = random_model(tokenizer_json)
    texts = TEXTS + ODD_TEXTS
    normalized = [features.normalize(t) for t in texts]
    plain = [e.ids[: model.max_tokens] for e in model._tokenizer.encode_batch(normalized)]
    assert model.token_ids(texts) == plain
    assert model.token_ids(texts) == plain  # now from the cache
    fresh = random_model(tokenizer_json)
    fresh.warm(["recruitment", "academy", "two words", "recruitment"])
    assert (
        fresh._word_ids["recruitment"]
        == model._tokenizer.encode("recruitment", add_special_tokens=False).ids
    )
    assert "academy" in fresh._word_ids
    assert "two words" not in fresh._word_ids
    # A full cache is emptied and refilled from the batch at hand.
    monkeypatch.setattr(convolution, "_WORD_CACHE_SIZE", 8)
    small = random_model(tokenizer_json)
    assert small.token_ids(texts) == plain
    assert small.token_ids(texts[::-1]) == plain[::-1]


def test_save_and_load_keep_every_score(tokenizer_json: str, tmp_path: Path) -> None:
    model = random_model(tokenizer_json)
    model.save(tmp_path / "m.npz")
    loaded = ConvSentimentModel.load(tmp_path / "m.npz")
    assert loaded.classes == model.classes
    assert loaded.blend == pytest.approx(0.4)
    assert loaded.max_tokens == 16
    np.testing.assert_allclose(loaded.decision(TEXTS), model.decision(TEXTS), rtol=1e-5)


def test_a_bad_model_file_is_refused_with_a_reason(tokenizer_json: str, tmp_path: Path) -> None:
    np.savez(tmp_path / "old.npz", format_version=np.array(0))
    with pytest.raises(ModelFileError, match="format version 0"):
        ConvSentimentModel.load(tmp_path / "old.npz")
    with pytest.raises(ModelFileError, match="missing.npz"):
        ConvSentimentModel.load(tmp_path / "missing.npz")

    model = random_model(tokenizer_json)
    model.save(tmp_path / "good.npz")
    with np.load(tmp_path / "good.npz") as data:
        arrays = {k: data[k] for k in data.files}
    np.savez(tmp_path / "short.npz", **{k: v for k, v in arrays.items() if k != "blend"})
    with pytest.raises(ModelFileError, match="missing arrays: blend"):
        ConvSentimentModel.load(tmp_path / "short.npz")
    np.savez(tmp_path / "shape.npz", **{**arrays, "conv_bias": np.zeros(4, np.float32)})
    with pytest.raises(ModelFileError, match="shapes"):
        ConvSentimentModel.load(tmp_path / "shape.npz")
    broken = np.frombuffer(b"{not json", dtype=np.uint8)
    np.savez(tmp_path / "tok.npz", **{**arrays, "tokenizer_json": broken})
    with pytest.raises(ModelFileError, match="tokenizer"):
        ConvSentimentModel.load(tmp_path / "tok.npz")


def test_the_default_model_is_the_stated_blend_of_its_two_halves() -> None:
    from analysis.sentiment_models.transformer import margins

    package = resources.files("analysis.sentiment_models")
    with resources.as_file(package / "default.npz") as path:
        linear = LinearSentimentModel.load(path)
    with resources.as_file(SHIPPED) as path:
        conv = ConvSentimentModel.load(path)
    assert 0.0 < conv.blend < 1.0
    assert conv.classes == linear.classes == sentiment.LABELS
    blended = (1 - conv.blend) * linear.probabilities(TEXTS) + conv.blend * conv.probabilities(
        TEXTS
    )
    # ... and where the blend is unsure, mixed with the transformer's answer.
    transformer = sentiment.default_model().transformer
    unsure = margins(blended) < transformer.cascade.margin
    ids = conv.token_ids([t for t, u in zip(TEXTS, unsure, strict=True) if u])
    weight = transformer.cascade.weight
    if ids:
        second = transformer.probabilities_from_ids(ids)
        blended[unsure] = (1 - weight) * blended[unsure] + weight * second
    # The blend reads the texts detected as English (Spanish has its own model, other
    # languages get the Spanish blend's lean, tempered).
    from analysis.language import detect

    english = np.array([detect(t) == "en" for t in TEXTS])
    assert english.sum() >= len(TEXTS) - 1
    results = [r for r, e in zip(sentiment.classify(TEXTS), english, strict=True) if e]
    blended = blended[english]
    assert [r.label for r in results] == [sentiment.LABELS[k] for k in blended.argmax(axis=1)]
    expected_scores = blended[:, 2] - blended[:, 0]
    np.testing.assert_allclose([r.score for r in results], expected_scores, atol=1e-9)


def test_the_exported_network_scores_as_the_torch_network(tokenizer_json: str) -> None:
    torch = pytest.importorskip(
        "torch", reason="torch is in the train extra only (pip install -e '.[train]')"
    )
    from tokenizers import Tokenizer

    from analysis.train_sentiment_cnn import build_network, export_network, network_scores

    torch.manual_seed(3)
    vocabulary = Tokenizer.from_str(tokenizer_json).get_vocab_size()
    vectors = np.random.default_rng(3).standard_normal((vocabulary, 12)).astype(np.float32)
    vectors[0] = 0.0  # padding
    network = build_network(vectors, 3).eval()
    with torch.no_grad():  # a non-zero bias, so that its place in the formula is tested too
        network.conv.bias.normal_()
    model = export_network(network, sentiment.LABELS, tokenizer_json)
    ids = model.token_ids(TEXTS)
    # Exactly, given the float16 table the export stores ...
    np.testing.assert_allclose(
        model.decision(TEXTS), network_scores(network, ids, table=model.table), atol=1e-4
    )
    # ... and closely, against the network's own float32 vectors and projection.
    np.testing.assert_allclose(model.decision(TEXTS), network_scores(network, ids), atol=2e-2)


def test_a_long_comment_tokenises_only_the_words_it_needs(tokenizer_json: str) -> None:
    model = random_model(tokenizer_json)
    text = " ".join(f"w{i}" for i in range(5_000))
    normalized = features.normalize(text)
    plain = model._tokenizer.encode(normalized).ids[: model.max_tokens]
    assert model.token_ids([text]) == [plain]
    assert len(model._word_ids) <= model.max_tokens
    # Words that give no subword at all leave room, and the rest of the text fills it.
    hollow = " ".join(["\x1c"] * 40 + [f"w{i}" for i in range(100)])
    expected = model._tokenizer.encode(features.normalize(hollow)).ids[: model.max_tokens]
    assert model.token_ids([hollow]) == [expected]


def test_threads_sharing_the_model_get_every_word(
    tokenizer_json: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from analysis.sentiment_models import convolution

    monkeypatch.setattr(convolution, "_WORD_CACHE_SIZE", 50)  # emptied again and again
    model = random_model(tokenizer_json)
    batches = [[f"thread {k} comment {i} word{k}x{i} again" for i in range(30)] for k in range(4)]
    expected = [
        [e.ids[: model.max_tokens] for e in model._tokenizer.encode_batch(b)] for b in batches
    ]
    failures: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for _ in range(40):
                assert model.token_ids(batches[k]) == expected[k]
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_large_batches_are_scored_in_slices_with_the_same_result(
    tokenizer_json: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.sentiment_models import convolution

    model = random_model(tokenizer_json)
    whole = model.decision(TEXTS * 3)
    monkeypatch.setattr(convolution, "_BATCH", 4)
    np.testing.assert_allclose(model.decision(TEXTS * 3), whole, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="2 normalised texts given for 3 texts"):
        model.decision(["a", "b", "c"], normalized=["a", "b"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"table": "short"}, "rows for a"),
        ({"max_tokens": np.array(1)}, "max_tokens"),
        ({"blend": np.array(7.0)}, "blend"),
        ({"table": "nan"}, "finite"),
        ({"classes": np.frombuffer(b"negative\nnegative\npositive", dtype=np.uint8)}, "distinct"),
        ({"classes": np.frombuffer(b"\xff\xfe", dtype=np.uint8)}, "UnicodeDecodeError"),
        ({"conv_bias": np.array(1.0, np.float32)}, "shapes"),
        ({"format_version": np.array([1, 1])}, "format version"),
    ],
)
def test_malformed_arrays_are_refused_at_load(
    tokenizer_json: str, tmp_path: Path, change: dict, message: str
) -> None:
    model = random_model(tokenizer_json)
    model.save(tmp_path / "good.npz")
    with np.load(tmp_path / "good.npz") as data:
        arrays = {k: data[k] for k in data.files}
    for name, value in change.items():
        if isinstance(value, str) and value == "short":
            value = arrays["table"][:100]
        elif isinstance(value, str):
            value = arrays["table"].copy()
            value[5, 2] = np.nan
        arrays[name] = value
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError, match=message):
        ConvSentimentModel.load(tmp_path / "bad.npz")


def test_a_file_that_is_not_a_model_archive_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cut.npz").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ModelFileError, match="cut.npz"):
        ConvSentimentModel.load(tmp_path / "cut.npz")
    np.save(tmp_path / "plain.npy", np.zeros(3))
    with pytest.raises(ModelFileError, match="not an .npz archive"):
        ConvSentimentModel.load(tmp_path / "plain.npy")
