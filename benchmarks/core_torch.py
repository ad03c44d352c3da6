#!/usr/bin/env python3
"""The workloads of `playground bench core`, in PyTorch, printed as TSV (name, microseconds).

Run in a virtual environment with torch installed (see benchmarks/README.md). Names and shapes
mirror Sources/PlaygroundCommands/CoreWorkload.swift; timing mirrors Timing.swift (warm-up, five
rounds of at least MIN_SECONDS, median).
"""
import sys
import time

import torch

MIN_SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 0.2
torch.manual_seed(0)


def median_seconds(body):
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            body()
        if time.perf_counter() - start >= MIN_SECONDS / 10:
            break
        calls *= 2
    rounds = []
    for _ in range(5):
        total, made = 0.0, 0
        while total < MIN_SECONDS:
            start = time.perf_counter()
            for _ in range(calls):
                body()
            total += time.perf_counter() - start
            made += calls
        rounds.append(total / made)
    return sorted(rounds)[2]


def gemm(m, k, n):
    a, b = torch.randn(m, k), torch.randn(k, n)
    return f"sgemm {m}x{k}·{k}x{n}", lambda: torch.mm(a, b)


def conv(batch, channels, size, out, kernel, stride, padding):
    x = torch.randn(batch, channels, size, size, requires_grad=True)
    w = torch.randn(out, channels, kernel, kernel, requires_grad=True)
    b = torch.zeros(out, requires_grad=True)

    def run():
        for t in (x, w, b):
            t.grad = None
        y = torch.nn.functional.conv2d(x, w, b, stride=stride, padding=padding)
        y.backward(torch.ones_like(y))

    return f"conv2d fwd+bwd {batch}x{channels}x{size}² k{kernel}s{stride}→{out}", run


def conv_transpose(batch, channels, size, out, kernel, stride, padding):
    x = torch.randn(batch, channels, size, size, requires_grad=True)
    w = torch.randn(channels, out, kernel, kernel, requires_grad=True)
    b = torch.zeros(out, requires_grad=True)

    def run():
        for t in (x, w, b):
            t.grad = None
        y = torch.nn.functional.conv_transpose2d(x, w, b, stride=stride, padding=padding)
        y.backward(torch.ones_like(y))

    return f"convT2d fwd+bwd {batch}x{channels}x{size}² k{kernel}s{stride}→{out}", run


def recurrent(kind):
    """A recurrent layer forward and backward: batch 32, 28 steps of 28 features, 128 hidden."""
    layer = (torch.nn.LSTM if kind == "LSTM" else torch.nn.GRU)(28, 128, batch_first=True)
    x = torch.randn(32, 28, 28, requires_grad=True)

    def run():
        x.grad = None
        layer.zero_grad(set_to_none=True)
        output, _ = layer(x)
        output.backward(torch.ones_like(output))

    return f"{kind} fwd+bwd 32x28 28→128", run


def add_overhead():
    a = torch.ones(4, 4, requires_grad=True)
    b = torch.ones(4, 4, requires_grad=True)
    seed = torch.ones(4, 4)

    def run():
        a.grad = None
        b.grad = None
        (a + b).backward(seed)

    return "add 4x4 fwd+bwd (per-op overhead)", run


def mlp_gan_step():
    """One iteration of the fully connected GAN of shared/anchors/torch_gan_mnist.py."""
    nn = torch.nn
    layers, sizes = [], [100, 128, 256, 512, 1024]
    for index, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if index > 0:
            layers.append(nn.BatchNorm1d(b, 0.8))
        layers.append(nn.LeakyReLU(0.2))
    generator = nn.Sequential(*layers, nn.Linear(1024, 784), nn.Tanh())
    discriminator = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    loss = nn.BCEWithLogitsLoss()
    real = torch.rand(64, 784) * 2 - 1
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)

    def run():
        fake = generator(torch.randn(64, 100))
        opt_d.zero_grad()
        (loss(discriminator(real), ones) + loss(discriminator(fake.detach()), zeros)).backward()
        opt_d.step()
        opt_g.zero_grad()
        loss(discriminator(fake), ones).backward()
        opt_g.step()

    return "MLP GAN iteration, batch 64", run


def cnn_inference():
    """The classifier's CNN (playground classify mnist --model cnn) on 256 digits, eval, no grad."""
    nn = torch.nn
    network = nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(800, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
    images = torch.rand(256, 1, 28, 28)

    def run():
        with torch.no_grad():
            network(images)

    return "CNN inference, batch 256", run


WORKLOADS = [
    gemm(32, 784, 128),
    gemm(32, 128, 10),
    gemm(64, 256, 256),
    gemm(128, 784, 512),
    gemm(64, 1024, 784),
    gemm(256, 1024, 1024),
    conv(32, 1, 28, 32, 5, 1, 0),
    conv(64, 1, 28, 64, 4, 2, 1),
    conv(64, 2, 28, 64, 4, 2, 1),
    conv(64, 64, 14, 128, 4, 2, 1),
    conv_transpose(64, 128, 7, 64, 4, 2, 1),
    conv_transpose(64, 64, 14, 1, 4, 2, 1),
    recurrent("LSTM"),
    recurrent("GRU"),
    add_overhead(),
    mlp_gan_step(),
    cnn_inference(),
]

print(f"# torch={torch.__version__} threads={torch.get_num_threads()}")
print("workload\tmicroseconds")
for name, body in WORKLOADS:
    print(f"{name}\t{median_seconds(body) * 1e6:.3f}", flush=True)
