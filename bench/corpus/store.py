"""The corpus as stored in git: two xz archives (the runs' log files, the measurements), unpacked on first use.

`bench/corpus/runs/` and `bench/corpus/measured/` are working folders (ignored by git); `runs.tar.xz` and
`measured.tar.xz` are what the repository keeps (a few MB; the logs are text-like and compress about 10x).
"""

from __future__ import annotations

import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARCHIVES = {"runs": HERE / "runs.tar.xz", "measured": HERE / "measured.tar.xz"}


def unpacked(name: str, into: Path = HERE) -> Path:
    """The folder `name` (`runs` or `measured`) under `into`, extracted from its archive when it is not there."""
    folder = into / name
    if not folder.is_dir():
        into.mkdir(parents=True, exist_ok=True)
        with tarfile.open(ARCHIVES[name], "r:xz") as archive:
            archive.extractall(into, filter="data")
    return folder


def pack(name: str) -> Path:
    """Write `name`'s archive from its working folder (sorted, no owners or times: same files, same bytes)."""

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = 0
        return info

    folder = HERE / name
    with tarfile.open(ARCHIVES[name], "w:xz", preset=9) as archive:
        for path in sorted(folder.rglob("*")):
            archive.add(path, arcname=str(path.relative_to(HERE)), recursive=False, filter=clean)
    return ARCHIVES[name]


if __name__ == "__main__":
    for name in ARCHIVES:
        print(pack(name))
