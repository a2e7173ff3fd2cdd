"""Where the batch stages' heavy work runs: `local` (this machine: the index's analysis in one
worker process per core, the rest in this process, whose numeric libraries use every core) or
`ray` (tasks on a Ray cluster: one started here and sized to the machine, or the one at
`--ray-address`).

Either way the work is a pure function of one item (a file, a bitext, a batch of index entries)
and this process stays the only writer of the store and the index, so every guarantee of the
local run holds (one transaction per document or bitext, kill -9 then rerun, one index writer).
An engine maps the function over the items with a bounded number in flight (back-pressure: the
items are made as the workers take them, and no worker holds the corpus) and returns the
results in the items' order."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from precedent.errors import PrecedentError
from precedent.processes import die_with_parent

Task = Callable[[Any, Any], Any]  # (context shared by all items, one item) -> result


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Engine:
    name = "local"
    workers = 1

    def map(self, task: Task, items: Iterable, context: Any = None, ahead: int | None = None) -> Iterator:
        """`task(context, item)` for each item, in order; at most `ahead` items (default: two per
        worker) submitted and not yet returned."""
        for item in items:
            yield task(context, item)

    def close(self) -> None:
        pass

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcessPool(Engine):
    """Forked worker processes, all started at once: before the caller opens files or starts
    threads (tantivy's writer) that a fork must not copy."""

    def __init__(self, workers: int):
        import multiprocessing

        self.workers = workers
        self.pool = multiprocessing.get_context("fork").Pool(workers, initializer=_one_thread_worker)

    def map(self, task: Task, items: Iterable, context: Any = None, ahead: int | None = None) -> Iterator:
        return _windowed(lambda item: self.pool.apply_async(task, (context, item)).get, items, ahead or 2 * self.workers)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def local_engine(items: int, parallel_from: int) -> Engine:
    """Worker processes, one per core, for `items` items when there are `parallel_from` or more
    (fewer are not worth the workers' start); else this process."""
    return ProcessPool(cores()) if cores() > 1 and items >= parallel_from else Engine()


class RayEngine(Engine):
    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            import ray
        except ImportError:
            raise PrecedentError("--engine ray needs Ray, which is not installed: pip install 'precedent[ray]'") from None
        self.ray = ray
        self.started = not ray.is_initialized()
        if self.started:
            try:
                ray.init(address=address, num_cpus=None if address else (workers or cores()), include_dashboard=False,
                         log_to_driver=False, logging_level="ERROR", configure_logging=True)
            except (ConnectionError, ValueError, RuntimeError) as exc:
                raise PrecedentError(f"cannot reach the Ray cluster at {address or 'a new local cluster'}: "
                                     f"{str(exc).splitlines()[0]}{_token_hint(exc)}") from None
        _ray_messages_to_stderr()
        self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.remote = ray.remote(max_retries=3, retry_exceptions=False)(precedent_task)  # a killed worker's task runs again

    def map(self, task: Task, items: Iterable, context: Any = None, ahead: int | None = None) -> Iterator:
        shared = self.ray.put(context)  # sent to the cluster once, not with every item
        return _windowed(lambda item: self._result(self.remote.remote(task, shared, item)), items, ahead or 2 * self.workers)

    def _result(self, ref) -> Callable[[], Any]:
        def get():
            try:
                return self.ray.get(ref)
            except self.ray.exceptions.RayError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, PrecedentError):
                    raise cause from None
                raise PrecedentError(f"a Ray task failed ({type(exc).__name__}: {str(cause or exc).splitlines()[0]}); "
                                     "what was written before it is kept: run the command again") from None
        return get

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()


def _token_hint(exc: BaseException) -> str:
    """What to do when the cluster refused the connection for want of its authentication token."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    if any(type(e).__name__ == "AuthenticationError" or "InvalidAuthToken" in str(e) for e in chain):
        return (" (it wants an authentication token: set RAY_AUTH_MODE=token, with the cluster's token in"
                " ~/.ray/auth_token or RAY_AUTH_TOKEN)")
    return ""


def _ray_messages_to_stderr() -> None:
    """Ray's driver prints the cluster's error messages ("a worker died ...") to stdout, where a
    command's `--json` goes; they are sent to stderr instead (Ray 2.x names that printer so)."""
    import ray._private.worker as driver

    printer = getattr(driver, "print_to_stdstream", None)
    if printer is not None and not getattr(printer, "to_stderr", False):
        def to_stderr(data, ignore_prefix):
            return printer(dict(data, is_err=True), ignore_prefix)

        to_stderr.to_stderr = True  # type: ignore[attr-defined]
        driver.print_to_stdstream = to_stderr


def precedent_task(task: Task, context: Any, item: Any) -> Any:
    """What a Ray worker runs (its process is titled `ray::precedent_task` meanwhile)."""
    if not _threads_limited:
        _limit_threads()
    return task(context, item)


_threads_limited = False


def _limit_threads() -> None:
    """A worker takes one CPU: the numeric libraries in it use one thread (more fight the other
    workers for the cores)."""
    global _threads_limited
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    _threads_limited = True


def _one_thread_worker() -> None:
    die_with_parent()
    _limit_threads()


def _windowed(submit: Callable[[Any], Callable[[], Any]], items: Iterable, window: int) -> Iterator:
    """Results in order, at most `window` items submitted and not yet returned."""
    pending: deque = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft()()
    while pending:
        yield pending.popleft()()


def open_engine(name: str = "local", address: str | None = None, workers: int | None = None) -> Engine:
    """The engine a command asked for; `local` here runs in this process (the index starts its own
    worker processes when it has enough to analyse)."""
    if name == "ray":
        return RayEngine(address, workers)
    if name != "local":
        raise PrecedentError(f"unknown engine {name!r}: choose local or ray")
    if address:
        raise PrecedentError("--ray-address needs --engine ray")
    return Engine()


_LOADED: dict[tuple, Any] = {}


def worker_embedder(settings):
    """The embedder a worker process loads once and keeps for the tasks it runs after."""
    key = (settings.model, str(settings.model_dir), settings.embed_batch_size)
    if key not in _LOADED:
        from precedent.embed import load_embedder

        _LOADED[key] = load_embedder(settings)
    return _LOADED[key]
