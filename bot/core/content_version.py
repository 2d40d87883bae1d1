"""Which content is published: a version told by the bytes of the content folder's YAML files, and a cheap
look at their sizes and times that tells when the folder may have changed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PATTERN = "**/*.yaml"


def _files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob(PATTERN) if path.is_file())


def _name(directory: Path, path: Path) -> str:
    return path.relative_to(directory).as_posix()


@dataclass(frozen=True)
class ContentVersion:
    """The SHA-256 of each YAML file in the content folder, by its path inside the folder."""

    files: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, directory: Path) -> ContentVersion:
        """The version of the files now in ``directory``."""
        files = _files(directory)
        return cls({_name(directory, path): hashlib.sha256(path.read_bytes()).hexdigest() for path in files})

    @property
    def digest(self) -> str:
        """A short name of the whole version, the same in every process that reads the same files."""
        joined = "\n".join(f"{name} {digest}" for name, digest in sorted(self.files.items()))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    def changed_since(self, earlier: ContentVersion) -> list[str]:
        """The files added, removed or edited since ``earlier``, in name order."""
        names = set(self.files) | set(earlier.files)
        return sorted(name for name in names if self.files.get(name) != earlier.files.get(name))


def folder_signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Each YAML file's name, size and modification time: cheap to read, and different after any save."""
    signature = []
    for path in _files(directory):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed while listing
            continue
        signature.append((_name(directory, path), stat.st_size, stat.st_mtime_ns))
    return tuple(signature)
