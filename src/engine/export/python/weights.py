"""The browser's weights (weights.bin: float32 little-endian, weights.json: names, shapes, offsets) as a state dict.

tfjs kernels are [...k, in, out] (convs) and [...k, out, in] (transposed convs); PyTorch wants
[out, in, ...k] and [in, out, ...k]: both are the same permutation (last two axes first, then space).
"""
import json
import sys

import numpy as np
import torch


def tf_to_torch(array, kind):
    if kind == "kernel":
        dims = array.ndim - 2
        return np.ascontiguousarray(array.transpose(dims + 1, dims, *range(dims)))
    return array


def torch_key(name):
    """'down0_conv1/kernel' -> ('layers.down0_conv1.conv.weight', 'kernel')."""
    layer, weight = name.split("/")
    target = {"kernel": "conv.weight", "bias": "conv.bias"}.get(weight, weight)
    return f"layers.{layer}.{target}", weight


def load_browser_weights(index_path, bin_path):
    """State dict from the exported files; raises naming any weight whose shape does not fit."""
    with open(index_path) as f:
        index = json.load(f)
    flat = np.fromfile(bin_path, dtype="<f4")
    state, adam = {}, {}
    for entry in index["weights"]:
        size = int(np.prod(entry["shape"])) if entry["shape"] else 1
        array = flat[entry["offset"] : entry["offset"] + size].reshape(entry["shape"])
        name, _, moment = entry["name"].partition("/adam_")
        key, kind = torch_key(name)
        value = torch.from_numpy(tf_to_torch(array, kind).astype(np.float32))
        if moment:
            adam.setdefault(key, {})[moment] = value
        else:
            state[key] = value
    index["adam_moments"] = adam
    return index, state


def load_into(model, index_path, bin_path):
    """Loads the browser's weights into `model` (strict: every parameter and buffer must be given)."""
    _, state = load_browser_weights(index_path, bin_path)
    own = model.state_dict()
    for key, value in state.items():
        if key not in own:
            raise KeyError(f"weight {key} is not in the {model.spec['kind']} network")
        if tuple(own[key].shape) != tuple(value.shape):
            raise ValueError(f"weight {key}: browser shape {tuple(value.shape)}, network {tuple(own[key].shape)}")
    model.load_state_dict(state, strict=True)
    return model


def load_adam(index_path, bin_path, model, optimizer):
    """Puts the browser's Adam moments and step count into a TfjsAdam (train.py); False when none were exported."""
    index, _ = load_browser_weights(index_path, bin_path)
    if "adam" not in index:
        return False
    params = dict(model.named_parameters())
    for key, moments in index["adam_moments"].items():
        p = params[key]
        optimizer.state[p] = dict(t=index["adam"]["iterations"], m=moments["m"].to(p.device), v=moments["v"].to(p.device))
    return True


if __name__ == "__main__":
    # python weights.py weights.json weights.bin out.pt: the browser's weights as a torch.save'd state dict.
    from models import create_network

    index_path, bin_path, out = sys.argv[1:4]
    with open(index_path) as f:
        spec = json.load(f)["spec"]
    torch.save(load_into(create_network(spec), index_path, bin_path).state_dict(), out)
    print(f"wrote {out}")
