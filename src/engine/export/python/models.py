"""The playground's four networks in plain PyTorch (torch >= 1.13), channels-first inside.

Layer names, padding, dilations and initialisers follow src/engine/networks exactly, so the browser's
weights load by name (weights.py). Inputs are [B, C, H, W] or [B, C, D, H, W]; `to_channels_first`
and `to_channels_last` convert at the boundary with the browser's [B, ..., C] layout.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_SPECS = {
    "unet2d": dict(baseFilters=8, depth=2),
    "twopath2d": dict(baseFilters=8, maxoutPieces=2),
    "unet3d": dict(baseFilters=4, depth=2),
    "highres3d": dict(baseFilters=4, blocks=2),
}
COMMON = dict(inChannels=3, numClasses=2, batchNorm=False, seed=1, depth=0, blocks=0, maxoutPieces=0)
DIMS = {"unet2d": 2, "twopath2d": 2, "unet3d": 3, "highres3d": 3}
HIGHRES_HEAD_GAIN = 0.1
HIGHRES_DILATIONS = (1, 2, 4)


def resolve_spec(spec):
    """Defaults filled like domain/network-spec.ts resolveSpec."""
    kind = spec["kind"]
    if kind not in DEFAULT_SPECS:
        raise ValueError(f"unknown network kind '{kind}' (valid: {', '.join(DEFAULT_SPECS)})")
    out = dict(COMMON, **DEFAULT_SPECS[kind], kind=kind)
    out.update({k: v for k, v in spec.items() if v is not None})
    return out


def to_channels_first(x):
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1)).contiguous()


def to_channels_last(x):
    return x.permute(0, *range(2, x.dim()), 1).contiguous()


def tf_fans(tf_shape):
    """tfjs computeFans on the kernel's tfjs shape (channels-last: [...k, in, out])."""
    receptive = math.prod(tf_shape[:-2])
    return tf_shape[-2] * receptive, tf_shape[-1] * receptive


def init_kernel(weight, tf_shape, kind):
    """he: truncated normal (2 sd) with sd sqrt(2 / fan_in); glorot: uniform +-sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = tf_fans(tf_shape)
    with torch.no_grad():
        if kind == "he":
            sd = math.sqrt(2.0 / max(1, fan_in))
            nn.init.trunc_normal_(weight, 0.0, sd, -2 * sd, 2 * sd)
        else:
            limit = math.sqrt(6.0 / max(1, fan_in + fan_out))
            nn.init.uniform_(weight, -limit, limit)


class Conv(nn.Module):
    """tfjs conv{2,3}d / DilatedConv with padding 'same' and stride 1 (odd kernels: symmetric padding)."""

    def __init__(self, dims, cin, cout, kernel, dilation=1, bias=True, init="glorot"):
        super().__init__()
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        self.conv = conv(cin, cout, kernel, padding=dilation * (kernel // 2), dilation=dilation, bias=bias)
        init_kernel(self.conv.weight, [kernel] * dims + [cin, cout], init)
        if bias:
            nn.init.zeros_(self.conv.bias)

    def forward(self, x):
        return self.conv(x)


class UpConv(nn.Module):
    """Transposed conv, kernel 2, stride 2 ('same' = exactly twice the size); glorot on tfjs's [2.., out, in]."""

    def __init__(self, dims, cin, cout):
        super().__init__()
        conv = nn.ConvTranspose2d if dims == 2 else nn.ConvTranspose3d
        self.conv = conv(cin, cout, 2, stride=2)
        init_kernel(self.conv.weight, [2] * dims + [cout, cin], "glorot")
        nn.init.zeros_(self.conv.bias)

    def forward(self, x):
        return self.conv(x)


class BatchNorm(nn.Module):
    """Keras/tfjs batch norm: eps 1e-3, moving = moving - (moving - batch)(1 - 0.99), biased batch variance."""

    def __init__(self, channels, momentum=0.99, eps=1e-3):
        super().__init__()
        self.momentum, self.eps = momentum, eps
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.register_buffer("moving_mean", torch.zeros(channels))
        self.register_buffer("moving_variance", torch.ones(channels))

    def forward(self, x):
        shape = (1, -1) + (1,) * (x.dim() - 2)
        if self.training:
            axes = [0] + list(range(2, x.dim()))
            mean = x.mean(axes)
            var = x.var(axes, unbiased=False)
            with torch.no_grad():
                self.moving_mean -= (self.moving_mean - mean) * (1 - self.momentum)
                self.moving_variance -= (self.moving_variance - var) * (1 - self.momentum)
        else:
            mean, var = self.moving_mean, self.moving_variance
        scale = self.gamma * torch.rsqrt(var + self.eps)
        return (x - mean.view(shape)) * scale.view(shape) + self.beta.view(shape)


def max_pool_same(x, size, stride):
    """TF 'same' max-pool: pad (size - 1) // 2 before and the rest after with -inf (padding never wins)."""
    dims = x.dim() - 2
    if stride == size:
        return (F.max_pool2d if dims == 2 else F.max_pool3d)(x, size, stride)
    total = size - 1
    pad = [total // 2, total - total // 2] * dims
    x = F.pad(x, pad, value=float("-inf"))
    return (F.max_pool2d if dims == 2 else F.max_pool3d)(x, size, stride)


class Net(nn.Module):
    """Layers in a ModuleDict under the tfjs layer names; `build` records the forward graph."""

    def __init__(self, spec):
        super().__init__()
        self.spec = resolve_spec(spec)
        self.dims = DIMS[self.spec["kind"]]
        self.layers = nn.ModuleDict()

    def conv(self, name, cin, cout, kernel, dilation=1, bias=True, init="glorot"):
        self.layers[name] = Conv(self.dims, cin, cout, kernel, dilation, bias, init)
        return self.layers[name]

    def bn(self, name, channels):
        self.layers[name] = BatchNorm(channels)
        return self.layers[name]

    def up(self, name, cin, cout):
        self.layers[name] = UpConv(self.dims, cin, cout)
        return self.layers[name]

    def conv_bn_relu(self, name, cin, cout, kernel, dilation=1):
        """conv -> [batch norm] -> ReLU; the conv drops its bias when batch norm follows (builder.ts)."""
        if not self.spec["batchNorm"]:
            conv = self.conv(name, cin, cout, kernel, dilation, True, "he")
            return lambda x: F.relu(conv(x))
        conv = self.conv(name, cin, cout, kernel, dilation, False, "he")
        bn = self.bn(f"{name}_bn", cout)
        return lambda x: F.relu(bn(conv(x)))

    def head(self, cin, gain=1.0):
        """1x1 conv to numClasses; softmax over channels in `classify`; `gain` scales the initial kernel."""
        conv = self.conv("head", cin, self.spec["numClasses"], 1, init="glorot")
        with torch.no_grad():
            conv.conv.weight.mul_(gain)

    def classify(self, x):
        return torch.softmax(self.layers["head"](x), 1)


class UNet(Net):
    """2D/3D U-Net (unet.ts): two 3x3 convs per level, max-pool 2, transposed conv 2, skips concatenated first."""

    def __init__(self, spec):
        super().__init__(spec)
        s = self.spec
        b, depth = s["baseFilters"], s["depth"]
        step = lambda name, cin, cout: (self.conv_bn_relu(f"{name}_conv1", cin, cout, 3), self.conv_bn_relu(f"{name}_conv2", cout, cout, 3))
        self.down, self.ups = [], []
        cin = s["inChannels"]
        for level in range(depth):
            self.down.append(step(f"down{level}", cin, b * 2**level))
            cin = b * 2**level
        self.bottom = step("bottom", cin, b * 2**depth)
        cin = b * 2**depth
        for level in reversed(range(depth)):
            f = b * 2**level
            up = self.up(f"up{level}_upconv", cin, f)
            self.ups.append((up, step(f"up{level}", 2 * f, f)))
            cin = f
        self.head(cin)

    def forward(self, x):
        skips = []
        for c1, c2 in self.down:
            x = c2(c1(x))
            skips.append(x)
            x = max_pool_same(x, 2, 2)
        x = self.bottom[1](self.bottom[0](x))
        for up, (c1, c2) in self.ups:
            x = c2(c1(torch.cat([skips.pop(), up(x)], 1)))
        return self.classify(x)


class TwoPath(Net):
    """TwoPath CNN (twopath.ts): 7x7 and 5x5 local maxout convs with stride-1 pools 4 and 2, a 13x13 global one."""

    def __init__(self, spec):
        super().__init__(spec)
        s = self.spec
        b, cin = s["baseFilters"], s["inChannels"]
        self.local1 = self.maxout("local1", cin, b, 7)
        self.local2 = self.maxout("local2", b, b, 5)
        self.glob = self.maxout("global", cin, 2 * b, 13)
        self.fc = self.conv_bn_relu("fc", 3 * b, 2 * b, 1)
        self.head(2 * b)

    def maxout(self, name, cin, cout, kernel):
        pieces = [self.conv(f"{name}_piece{i}", cin, cout, kernel) for i in range(self.spec["maxoutPieces"])]
        bn = self.bn(f"{name}_bn", cout) if self.spec["batchNorm"] else None

        def apply(x):
            y = pieces[0](x)
            for p in pieces[1:]:
                y = torch.maximum(y, p(x))
            return bn(y) if bn is not None else y

        return apply

    def forward(self, x):
        local = max_pool_same(self.local1(x), 4, 1)
        local = max_pool_same(self.local2(local), 2, 1)
        glob = max_pool_same(self.glob(x), 2, 1)
        return self.classify(self.fc(torch.cat([local, glob], 1)))


class HighRes(Net):
    """HighResNet-style (highres.ts): pre-activation residual blocks, dilations 1, 2, 4, widths b, 2b, 4b."""

    def __init__(self, spec):
        super().__init__(spec)
        s = self.spec
        b, bn = s["baseFilters"], s["batchNorm"]
        self.stem = self.conv_bn_relu("stem", s["inChannels"], b, 3)
        self.blocks = []
        channels = b
        for group, dilation in enumerate(HIGHRES_DILATIONS):
            f = b * 2**group
            for block in range(s["blocks"]):
                name = f"res{group}_{block}"
                proj = None if channels == f else self.conv(f"{name}_proj", channels, f, 1)
                pre_a = self.bn(f"{name}_a_bn", channels) if bn else None
                conv1 = self.conv(f"{name}_conv1", channels, f, 3, dilation, not bn, "he")
                pre_b = self.bn(f"{name}_b_bn", f) if bn else None
                conv2 = self.conv(f"{name}_conv2", f, f, 3, dilation, True, "he")
                self.blocks.append((proj, pre_a, conv1, pre_b, conv2))
                channels = f
        if bn:
            self.bn("final_bn", channels)
        # highres.ts HIGHRES_HEAD_GAIN: a glorot head saturates the softmax on these unnormalised features.
        self.head(channels, HIGHRES_HEAD_GAIN)

    @staticmethod
    def pre(bn, x):
        return F.relu(bn(x) if bn is not None else x)

    def forward(self, x):
        x = self.stem(x)
        for proj, pre_a, conv1, pre_b, conv2 in self.blocks:
            shortcut = x if proj is None else proj(x)
            y = conv2(self.pre(pre_b, conv1(self.pre(pre_a, x))))
            x = shortcut + y
        return self.classify(self.pre(self.layers["final_bn"] if "final_bn" in self.layers else None, x))


NETWORKS = {"unet2d": UNet, "unet3d": UNet, "twopath2d": TwoPath, "highres3d": HighRes}


def create_network(spec, seed=None):
    """A fresh network; `seed` seeds torch's initialisers (same distributions as tfjs, not the same values)."""
    if seed is not None:
        torch.manual_seed(seed)
    spec = resolve_spec(spec)
    return NETWORKS[spec["kind"]](spec)
