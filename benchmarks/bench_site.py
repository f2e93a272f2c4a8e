"""Benchmark: the docs site build (`skillpack site`: validate + mkdocs build --strict) and the site server.

Prints the wall time of a fresh `skillpack site` process for the repository's pack and for synthetic packs (500
rules by default; goals: under 2 s and under 5 s), then the request rate of a burst of 2,000 requests from 50
concurrent clients against `skillpack serve` on loopback (each request on a new connection; every one must
succeed). Asserts nothing about times (machines are noisy).
Usage: python benchmarks/bench_site.py [SIZES...]
"""

from __future__ import annotations

import http.client
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from packs import make_synthetic_pack  # noqa: E402

from skillpack.load import load_pack  # noqa: E402
from skillpack.serve import serve_in_thread  # noqa: E402
from skillpack.validate import validate_pack  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZES = (500,)
REPEAT = 3


def copy_pack(folder: Path) -> list[str]:
    """Copy the repository's pack; drop rules that do not validate yet (someone may be writing one)."""
    shutil.copytree(ROOT / "references", folder / "references")
    dropped: list[str] = []
    for _ in range(10):
        problems = validate_pack(load_pack(folder))
        broken = {d.path for d in problems if d.path.suffix == ".md"}
        if not problems or not broken:
            break
        for path in broken:
            dropped.append(path.name)
            path.unlink()
    return dropped


def time_site(pack: Path, site: Path) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of a fresh `skillpack site` process; fails loudly if the
    build fails."""
    walls, cpus = [], []
    for _ in range(REPEAT):
        shutil.rmtree(site, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        command = [sys.executable, "-m", "skillpack", "--root", str(pack), "site", "--site-dir", str(site), "--config", str(ROOT / "mkdocs.yml")]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"site build of {pack} failed:\n{done.stderr}")
    return statistics.median(walls), statistics.median(cpus)


def burst(site: Path, total: int = 2_000, clients: int = 50) -> tuple[float, int]:
    """Requests per second of `total` GETs from `clients` threads, and how many failed."""
    server = serve_in_thread(site)
    host, port = server.server_address[:2]
    rules = sorted(p.parent.relative_to(site).as_posix() for p in (site / "rules").glob("*/*/index.html"))
    targets = ["/", f"/{rules[0]}/", f"/{rules[0]}/?format=md", "/llms.txt", "/search/search_index.json"]
    failed = 0
    lock = threading.Lock()

    def client(index: int) -> None:
        nonlocal failed
        for n in range(index, total, clients):
            try:
                connection = http.client.HTTPConnection(host, port, timeout=30)
                connection.request("GET", targets[n % len(targets)])
                response = connection.getresponse()
                ok = response.status == 200 and response.read()
                connection.close()
            except OSError:
                ok = False
            if not ok:
                with lock:
                    failed += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    server.shutdown()
    server.server_close()
    return total / elapsed, failed


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        real = folder / "real"
        dropped = copy_pack(real)
        rules = len(load_pack(real).rules)
        note = f" (without {len(dropped)} rule(s) that do not validate yet)" if dropped else ""
        print(f"site builds in {folder} on {os.cpu_count()} CPUs, median of {REPEAT} fresh processes")
        print(f"{'pack':<12} {'rules':>6} {'wall (s)':>9} {'CPU (s)':>8}")
        wall, cpu = time_site(real, folder / "real-site")
        print(f"{'repository':<12} {rules:>6} {wall:>9.2f} {cpu:>8.2f}{note}")
        for size in sizes:
            synthetic = folder / f"synthetic-{size}"
            make_synthetic_pack(synthetic, size)
            wall, cpu = time_site(synthetic, folder / f"site-{size}")
            print(f"{'synthetic':<12} {size:>6} {wall:>9.2f} {cpu:>8.2f}")
        rate, failed = burst(folder / "real-site")
        print(f"serve burst: 2000 requests from 50 clients, {rate:.0f} requests/s, {failed} failed")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or list(SIZES))
