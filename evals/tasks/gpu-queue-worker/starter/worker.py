"""Media jobs: thumbnails (cpu-jobs queue) and document embeddings (gpu-jobs queue)."""

import hashlib
import os
import threading

from dbos import DBOS, DBOSConfig

CPU_QUEUE = "cpu-jobs"
GPU_QUEUE = "gpu-jobs"


@DBOS.step()
def render_thumbnail(image: str) -> str:
    return f"thumb({image})"


@DBOS.workflow()
def make_thumbnail(image: str) -> str:
    return render_thumbnail(image)


@DBOS.step()
def run_embedding_model(document: str) -> list[float]:
    digest = hashlib.sha256(document.encode()).digest()  # stands in for the model on the GPU
    return [b / 255 for b in digest[:4]]


@DBOS.workflow()
def embed_document(document: str) -> list[float]:
    return run_embedding_model(document)


def start_worker(role: str) -> None:
    """Launch DBOS on this box: role is "gpu" on the GPU box and "cpu" on the API boxes."""
    config: DBOSConfig = {
        "name": "media-worker",
        "system_database_url": os.environ.get("DBOS_SYSTEM_DATABASE_URL", "sqlite:///dbos.sqlite"),
        "application_version": "2024.06.1",
    }
    DBOS(config=config)
    DBOS.launch()
    DBOS.register_queue(CPU_QUEUE, worker_concurrency=4)
    DBOS.register_queue(GPU_QUEUE, worker_concurrency=1)
    print(f"{role} worker started")


if __name__ == "__main__":
    start_worker(os.environ.get("WORKER_ROLE", "cpu"))
    threading.Event().wait()
