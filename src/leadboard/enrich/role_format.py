"""The role model on disk without pickle: one zip of ``model.json`` and ``.npy`` arrays.

A pickle runs code when it is read; this file is data only, read with ``allow_pickle=False``,
so a model from anywhere (the package, a colleague) is safe to load. The archive is
deterministic: members in a fixed order, fixed timestamps, JSON with sorted keys, so the same
training gives the same bytes. LZMA members keep it small (most of it is float32 weights).

Every fitted object of ``role.py`` is written as a JSON node; arrays go to their own members and
the node names them (``{"array": "a12"}``).

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from leadboard.enrich.role import _float32_weights
>>> fitted = _float32_weights(LogisticRegression().fit(np.array([[0.0], [1.0], [3.0]]), [0, 0, 1]))
>>> arrays: dict[str, np.ndarray] = {}
>>> back = _decode(_encode(fitted, arrays), arrays)
>>> bool(np.array_equal(back.predict_proba([[1.5]]), fitted.predict_proba([[1.5]])))
True
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

FORMAT = "leadboard-role-model/1"
_JSON_MEMBER = "model.json"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: no build time in the file


def write_archive(model: Any, path: Path) -> None:
    """Write a fitted ``RoleClassifier`` to ``path`` (a zip; see the module docstring)."""
    arrays: dict[str, np.ndarray] = {}
    tree = {"format": FORMAT, "model": _encode(model, arrays)}
    members = [(_JSON_MEMBER, json.dumps(tree, sort_keys=True).encode())]
    for name, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        members.append((f"{name}.npy", buffer.getvalue()))
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_LZMA
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def read_archive(path: Path) -> Any:
    """The ``RoleClassifier`` written by :func:`write_archive` (no code runs while reading)."""
    with zipfile.ZipFile(path) as archive:
        tree = json.loads(archive.read(_JSON_MEMBER))
        if tree.get("format") != FORMAT:
            raise ValueError(f"{path} is not a {FORMAT} file")
        arrays = {
            name.removesuffix(".npy"): np.load(io.BytesIO(archive.read(name)), allow_pickle=False)
            for name in archive.namelist()
            if name.endswith(".npy")
        }
    return _decode(tree["model"], arrays)


# --- Encoding: one JSON node per object ---------------------------------------------------------


def _array(value: np.ndarray, arrays: dict[str, np.ndarray]) -> dict[str, str]:
    name = f"a{len(arrays)}"
    arrays[name] = np.asarray(value)
    return {"array": name}


def _weights(value: np.ndarray, arrays: dict[str, np.ndarray]) -> dict[str, str]:
    """Logistic weights, held in float32 by the model (``role._float32_weights``): half the bytes,
    and the float64 values read back are exactly the ones trained."""
    as32 = np.asarray(value, dtype=np.float32)
    if not np.array_equal(as32.astype(np.float64), value):
        raise ValueError("weights must be float32 values (see role._float32_weights)")
    return _array(as32, arrays)


def _encode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    from leadboard.enrich.role import RoleClassifier, _Parts, _PlattCalibrator, _WeakTextModel

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):  # e.g. the scaler's sample count
        return value.item()
    if isinstance(value, np.ndarray):
        return _array(value, arrays)
    if isinstance(value, (list, tuple)):
        return {"list": [_encode(item, arrays) for item in value]}
    if isinstance(value, TfidfVectorizer):
        params = value.get_params()
        if any(callable(params[key]) for key in ("tokenizer", "preprocessor", "analyzer")):
            raise TypeError("a vectorizer with custom functions cannot be saved as data")
        params["dtype"] = np.dtype(params["dtype"]).name
        params["ngram_range"] = list(params["ngram_range"])
        terms = sorted(value.vocabulary_, key=value.vocabulary_.__getitem__)
        return {"tfidf": params, "terms": terms, "idf": _array(value.idf_, arrays)}
    if isinstance(value, LogisticRegression):
        return {
            "logistic": True,
            "classes": _array(value.classes_, arrays),
            "coef": _weights(value.coef_, arrays),
            "intercept": _weights(value.intercept_, arrays),
        }
    if isinstance(value, StandardScaler):
        learned = ("mean_", "var_", "scale_", "n_samples_seen_")
        return {"scaler": {name: _encode(getattr(value, name), arrays) for name in learned}}
    kinds = {
        RoleClassifier: "classifier",
        _Parts: "parts",
        _WeakTextModel: "weak",
        _PlattCalibrator: "platt",
    }
    kind = kinds.get(type(value))
    if kind is None:
        raise TypeError(f"cannot save a {type(value).__name__} in a role model")
    fields = {name: _encode(item, arrays) for name, item in vars(value).items()}
    return {"object": kind, "fields": fields}


def _decode(node: Any, arrays: dict[str, np.ndarray]) -> Any:
    from leadboard.enrich.role import RoleClassifier, _Parts, _PlattCalibrator, _WeakTextModel

    if not isinstance(node, dict):
        return node
    if "array" in node:
        return arrays[node["array"]]
    if "list" in node:
        return [_decode(item, arrays) for item in node["list"]]
    if "tfidf" in node:
        params = dict(node["tfidf"], vocabulary=node["terms"])
        params["dtype"] = np.dtype(params["dtype"]).type
        params["ngram_range"] = tuple(params["ngram_range"])
        vectorizer = TfidfVectorizer(**params)
        vectorizer.idf_ = arrays[node["idf"]["array"]]
        return vectorizer
    if "logistic" in node:
        model = LogisticRegression()
        model.classes_ = arrays[node["classes"]["array"]]
        model.coef_ = arrays[node["coef"]["array"]].astype(np.float64)
        model.intercept_ = arrays[node["intercept"]["array"]].astype(np.float64)
        model.n_features_in_ = model.coef_.shape[1]
        return model
    if "scaler" in node:
        scaler = StandardScaler()
        for name, item in node["scaler"].items():
            setattr(scaler, name, _decode(item, arrays))
        scaler.n_features_in_ = len(scaler.mean_)
        return scaler
    kinds = {
        "classifier": RoleClassifier,
        "parts": _Parts,
        "weak": _WeakTextModel,
        "platt": _PlattCalibrator,
    }
    obj: Any = object.__new__(kinds[node["object"]])  # fields set below, as fit() left them
    for name, item in node["fields"].items():
        setattr(obj, name, _decode(item, arrays))
    return obj
