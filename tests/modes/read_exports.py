#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""read_exports.py - reads TauGate's exported files with NumPy alone and reproduces their
accuracy, as a PyTorch user without our code would.

usage: read_exports.py MNIST_DIR FOUNDATION TAUGATE_ADAPTER PEFT_DIR N

Prints one line per model, "base ACC", "taugate ACC", "lora ACC", the accuracy on the first
N test images (unrotated), and "digest HEX" (the foundation's SHA-256 as tg-digest.h
describes it) and "recorded HEX" (what the TauGate adapter records). Exits 3 when NumPy is
missing, so the caller can skip."""
import gzip
import hashlib
import json
import os
import struct
import sys

try:
    import numpy as np
except ImportError:
    sys.exit(3)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", name
        b, e = t["data_offsets"]
        tensors[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(t["shape"])
    return meta, tensors


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, count = struct.unpack(">II", raw[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", raw[8:16])
        return np.frombuffer(raw[16:], dtype=np.uint8).reshape(count, rows * cols)
    assert magic == 0x801, path
    return np.frombuffer(raw[8:], dtype=np.uint8)


def find(dirname, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(dirname, name)
        if os.path.exists(p):
            return p
    raise SystemExit("no %s in %s" % (stem, dirname))


def layers(tensors, prefix=""):
    n = 0
    while prefix + "layers.%d.weight" % n in tensors:
        n += 1
    return n


def forward(x, weights, biases, gates=None, s=5.0):
    """weights[l] (out, in) as nn.Linear; gates[l] = (tau, gamma) for hidden layers."""
    h = x
    last = len(weights) - 1
    for l, (w, b) in enumerate(zip(weights, biases)):
        z = h @ w.T + b
        if l == last:
            return z
        r = np.maximum(z, 0)
        if gates is not None:
            tau, gamma = gates[l]
            r = gamma * r / (1 + np.exp(-s * (z - tau)))
        h = r


def digest(tensors):
    sha = hashlib.sha256()
    for name in sorted(k for k in tensors if k.endswith((".weight", ".bias"))):
        t = tensors[name]
        sha.update(name.encode() + b"\0")
        sha.update(struct.pack("<I", t.ndim))
        sha.update(struct.pack("<%dQ" % t.ndim, *t.shape))
        sha.update(t.astype("<f4").tobytes())
    return sha.hexdigest()


def main():
    mnist, foundation, taugate, peft_dir, n = sys.argv[1:6]
    n = int(n)
    x = read_idx(find(mnist, "t10k-images-idx3-ubyte"))[:n].astype(np.float32) / 255
    y = read_idx(find(mnist, "t10k-labels-idx1-ubyte"))[:n]

    _, f = read_safetensors(foundation)
    L = layers(f)
    W = [f["layers.%d.weight" % l] for l in range(L)]
    B = [f["layers.%d.bias" % l] for l in range(L)]
    acc = lambda z: float(np.mean(np.argmax(z, axis=1) == y))
    print("base %.6f" % acc(forward(x, W, B)))

    meta, t = read_safetensors(taugate)
    assert meta["method"] == "taugate"
    gates = [(t["layers.%d.tau" % l], t["layers.%d.gamma" % l]) for l in range(L - 1)]
    print("taugate %.6f" % acc(forward(x, W, B, gates, float(meta["sharpness"]))))

    with open(os.path.join(peft_dir, "adapter_config.json")) as fh:
        cfg = json.load(fh)
    assert cfg["peft_type"] == "LORA" and not cfg["fan_in_fan_out"]
    _, p = read_safetensors(os.path.join(peft_dir, "adapter_model.safetensors"))
    scale = cfg["lora_alpha"] / cfg["r"]
    WL = []
    for l in range(L):
        name = "layers.%d" % l
        a = p["base_model.model.%s.lora_A.weight" % name]
        b = p["base_model.model.%s.lora_B.weight" % name]
        assert name in cfg["target_modules"]
        assert a.shape == (cfg["r"], W[l].shape[1]) and b.shape == (W[l].shape[0], cfg["r"])
        WL.append(W[l] + scale * (b @ a))
    print("lora %.6f" % acc(forward(x, WL, B)))
    print("digest %s" % digest(f))
    print("recorded %s" % meta.get("foundation_sha256", "none"))


if __name__ == "__main__":
    main()
