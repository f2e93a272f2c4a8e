"""Benchmark: the docs site build (`skillpack site`: validate + mkdocs build --strict) and the site server.

For the repository's pack and for packs of real-size copies of its rules (500 by default; goals: under 2 s and
under 5 s), prints the wall and CPU time of a fresh `skillpack site` process next to the engine floor: Material
building the very same generated pages, written as plain Markdown files, with the same mkdocs.yml minus the hooks
(same theme, plugins, extensions and nav). The ratio is skillpack's overhead over the engine. Then the request
rate of a burst of 2,000 requests from 50 concurrent clients against `skillpack serve` on loopback (each request
on a new connection; every one must succeed). Asserts nothing about times (machines are noisy).
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

from packs import make_real_pack  # noqa: E402

from skillpack.load import load_pack  # noqa: E402
from skillpack.serve import serving  # noqa: E402
from skillpack.site import generate_site  # noqa: E402

import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZES = (500,)
REPEAT = 3
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")


def engine_floor_config(pack_root: Path, plain: Path) -> Path:
    """The floor: the very pages skillpack generates for a pack, written as plain Markdown files (front matter
    from their metadata), with the project's mkdocs.yml minus the hooks and with the generated nav. What Material
    alone takes to build them is what any site of these pages costs; the rest is skillpack's overhead."""
    pack = load_pack(pack_root)
    site = generate_site(pack)
    docs = plain / "docs"
    for page in site.pages.values():
        path = docs / page.src
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(page.meta, allow_unicode=True, sort_keys=True) if page.meta else ""
        path.write_text(f"---\n{front}---\n\n{page.markdown}" if front else page.markdown, encoding="utf-8")
    for name, content in site.files.items():
        if not name.endswith(".md"):  # twins and SKILL.md are copied as they are: not pages
            path = docs / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "watch"):
        config.pop(key, None)
    config.update(docs_dir=str(docs), site_dir=str(plain / "site"), nav=site.nav)
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    path = plain / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def time_command(command: list[str], site: Path) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of a fresh process building ``site``; fails loudly."""
    walls, cpus = [], []
    for _ in range(REPEAT):
        shutil.rmtree(site, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return statistics.median(walls), statistics.median(cpus)


def burst(site: Path, total: int = 2_000, clients: int = 50) -> tuple[float, int]:
    """Requests per second of `total` GETs from `clients` threads, and how many failed."""
    with serving(site) as server:
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
    return total / elapsed, failed


def compare(label: str, pack: Path, work: Path) -> None:
    """One row: `skillpack site` (validation included) next to Material building the same pages as plain files."""
    site = [sys.executable, "-m", "skillpack", "--root", str(pack), "site", "--site-dir", str(work / "site"),
            "--config", str(ROOT / "mkdocs.yml")]
    subprocess.run(site, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)  # warm caches
    wall, cpu = time_command(site, work / "site")
    plain = engine_floor_config(pack, work / "plain")
    floor, floor_cpu = time_command(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(plain)], work / "plain" / "site"
    )
    rules = len(load_pack(pack).rules)
    print(f"{label:<22} {rules:>6} {wall:>9.2f} {cpu:>8.2f} {floor:>11.2f} {floor_cpu:>10.2f} {wall / floor:>8.2f}x")


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"site builds on {os.cpu_count()} CPUs, median of {REPEAT} fresh processes, seconds")
        print(f"{'pack':<22} {'rules':>6} {'wall':>9} {'CPU':>8} {'engine wall':>11} {'engine CPU':>10} {'overhead':>9}")
        make_real_pack(folder / "real", 0)
        compare("repository", folder / "real", folder / "real-work")
        for size in sizes:
            make_real_pack(folder / f"real-{size}", size)
            compare(f"real-size copies", folder / f"real-{size}", folder / f"work-{size}")
        rate, failed = burst(folder / "real-work" / "site")
        print(f"serve burst: 2000 requests from 50 clients, {rate:.0f} requests/s, {failed} failed")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or list(SIZES))
