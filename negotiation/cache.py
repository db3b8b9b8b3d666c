"""A per-user cache of what Linkwright parses from its own installed files.

Parsing the built-in clause library and system profiles (YAML with every
node's position, validation, the template check of every clause) is most of
the time a `linkwright check` takes; the files change only when Linkwright is
updated. So the parsed objects are kept, pickled, in the user's cache folder
and used again while the files they came from are the same.

Pickle is an executable format: unpickling a file runs what the file says. It is
read only from a place nobody but the user could have written:

- the folder is the user's cache folder (platformdirs), created 0700, and is
  used only while it is a real folder (no link) owned by the user with no access
  for group or others;
- the file is opened without following links and used only while it is a
  regular file owned by the user that nobody else may write.

Anyone who could still write there could already change the user's own shell
start-up files: the cache gives no one a power they did not have. A JSON cache
would avoid pickle but not the cost we are removing (validation and template
checks of every clause), so it would not pay. The library's entry also holds its
clause templates compiled by Jinja2 (marshalled code, read under the same checks),
since compiling them was half of a first check; `TemplateCache` keeps the compiled
page skeletons of our own templates folder the same way.

A cached entry is keyed by a hash of the very files its build reads (their
`fingerprints`), the source of the modules that turn them into objects (so a
changed model or loader never meets an old pickle), the Python and pydantic
versions and the format. Anything unexpected (a foreign folder, a truncated or
corrupt file, a different key, an unreadable file) means: build afresh, and say
nothing. Only Linkwright's own files are cached: never a session, a user's library
layer, or findings, which must always be computed from what the user has now.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import jinja2  # its version is in every key, and `TemplateCache` is its kind of cache

T = TypeVar("T")

FORMAT = b"linkwright-cache 1\n"
"""The first line of every cache file; the key follows on the second."""

CODE = ("negotiation.cache", "negotiation.drafting.phrases", "negotiation.errors",
        "negotiation.library", "negotiation.premises", "negotiation.profiles",
        "negotiation.templating", "negotiation.translations", "negotiation.yamldepth",
        "negotiation.yamlload")
"""The modules whose code decides what a cached object is: a change to any of them
(a field added to a model, a loader reading differently) gives a new key."""

APP_NAME = "linkwright"


def cached(name: str, inputs: Sequence[tuple[str, str]], build: Callable[[], T],
           kind: type, modules: Sequence[str] = CODE) -> T:
    """`build()`, or what it returned before from the same `inputs` (a file's text or
    its fingerprint, and its name), if the user's cache holds it and can be trusted.
    `kind` is the type the result must have; anything else in the cache is ignored.
    `modules`: those whose code decides what `build` makes (loaded, all of them)."""
    key = _key(name, inputs, modules)
    folder = private_folder() if key is not None else None
    if folder is not None and key is not None:
        found = _read(folder / f"{name}.pickle", key)
        if isinstance(found, kind):
            return found  # type: ignore[return-value]
    value = build()
    if folder is not None and key is not None:
        _write(folder / f"{name}.pickle", key, value)
    return value


def fingerprints(files: Iterable[tuple[Any, str]]) -> list[tuple[str, str]]:
    """What identifies each of `files` (a resource, its name) in a key: a digest of its
    bytes, read without decoding them (decoding and hashing the texts cost a `check`
    7 ms; this, 2.5). Not the size and time: two installations of the same release
    would then take turns rebuilding one entry."""
    return [(hashlib.sha256(entry.read_bytes()).hexdigest(), name) for entry, name in files]


def cache_folder() -> Path:
    """Where the user's cache lives (platformdirs: `~/.cache/linkwright` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def private_folder() -> Path | None:
    """The cache folder, made if missing (0700), or None when it cannot be trusted:
    not a real folder, not the user's own, or open to group or others."""
    folder = cache_folder()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() \
            or info.st_mode & 0o077:
        return None
    return folder


class TemplateCache(jinja2.BytecodeCache):
    """Jinja2's bytecode cache for an environment of our own skeleton templates (the
    Typst pages): compiling them costs a `render` 10 ms. Kept like the pickles,
    in the same folder under the same checks, keyed by the template's source and by
    the code of `module`, which sets how its environment compiles (`finalize`, the
    whitespace options): a changed option never meets code compiled under the old one.
    Pass it as `bytecode_cache=TemplateCache(__name__)`."""

    def __init__(self, module: str) -> None:
        self.modules = ("negotiation.cache", module)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        place = self._place(bucket)
        if place is not None:
            code = _read(*place)
            if isinstance(code, bytes):
                with contextlib.suppress(Exception):  # as a corrupt pickle: compile afresh
                    bucket.code = marshal.loads(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        place = self._place(bucket)
        if place is not None and bucket.code is not None:
            _write(*place, marshal.dumps(bucket.code))

    def _place(self, bucket: jinja2.bccache.Bucket) -> tuple[Path, bytes] | None:
        name = f"template-{bucket.key}"  # jinja2's hash of the template's name
        key = _key(name, [(bucket.checksum, "source")], self.modules)
        folder = private_folder() if key is not None else None
        return None if folder is None or key is None else (folder / f"{name}.pickle", key)


def _key(name: str, texts: Sequence[tuple[str, str]],
         modules: Sequence[str] = CODE) -> bytes | None:
    import pydantic

    # Python's version covers its byte code (compiled templates are kept too).
    digest = hashlib.sha256()
    for part in (name, sys.version, pydantic.VERSION, jinja2.__version__,
                 str(pickle.HIGHEST_PROTOCOL)):
        digest.update(part.encode() + b"\0")
    for module in modules:
        source = getattr(sys.modules.get(module), "__file__", None)
        if source is None:
            return None  # not loaded from a file we can read: do not cache
        try:
            digest.update(Path(source).read_bytes() + b"\0")
        except OSError:
            return None
    for text, file in texts:
        digest.update(file.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest().encode()


def _read(path: Path, key: bytes) -> object | None:
    """The object cached at `path` under `key`, or None (missing, foreign, stale or
    corrupt: the caller builds afresh)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() \
                    or info.st_mode & 0o022:
                return None
            if file.readline() != FORMAT or file.readline() != key + b"\n":
                return None  # another format or other files: never unpickled
            return pickle.loads(file.read())
    except Exception:  # a corrupt or truncated pickle can raise almost anything
        return None


def _write(path: Path, key: bytes, value: object) -> None:
    """Replace `path` with `value` under `key`, atomically; a cache that cannot be
    written is no error (the next run builds again)."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                     | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(FORMAT + key + b"\n" + data)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
