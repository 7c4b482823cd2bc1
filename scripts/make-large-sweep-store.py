#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Grows a finished sweep store into a store of N points, for timing `hybridsim merge`.

Usage: make-large-sweep-store.py SOURCE_DIR TARGET_DIR [N]   (N defaults to 100000)

SOURCE_DIR holds a sweep.sqlite of at least one finished point (any small sweep). TARGET_DIR
gets a copy whose `points` and `settings` tables repeat those rows for points 0..N-1 and whose
`meta.points` says N: a complete store of the sweep's maximum size, as `hybridsim sweep` would
have written it, without simulating 100,000 points. Only the row contents repeat; `merge`
reads them as any other rows (docs/sweeps.md, "Scale").
"""
import os
import shutil
import sqlite3
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    source, target = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) == 4 else 100_000
    os.makedirs(target, exist_ok=True)
    path = os.path.join(target, "sweep.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    # Checkpoint the source's write-ahead log into its file before copying it.
    with sqlite3.connect(os.path.join(source, "sweep.sqlite")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(os.path.join(source, "sweep.sqlite"), path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    columns = [row[1] for row in db.execute("PRAGMA table_info(points)")]
    templates = db.execute("SELECT * FROM points ORDER BY point").fetchall()
    settings = {}
    for point, position, key, value in db.execute("SELECT point, position, key_path, value FROM settings"):
        settings.setdefault(point, []).append((position, key, value))
    if not templates:
        sys.exit(f"{source}/sweep.sqlite has no finished point to repeat")
    db.execute("DELETE FROM settings")
    db.execute("DELETE FROM points")
    marks = ", ".join("?" for _ in columns)
    for start in range(0, count, 10_000):
        rows, setting_rows = [], []
        for point in range(start, min(count, start + 10_000)):
            template = templates[point % len(templates)]
            rows.append((point,) + tuple(template[1:]))
            for position, key, value in settings.get(template[0], []):
                setting_rows.append((point, position, key, value))
        db.executemany(f"INSERT INTO points({', '.join(columns)}) VALUES ({marks})", rows)
        db.executemany("INSERT INTO settings(point, position, key_path, value) VALUES (?, ?, ?, ?)", setting_rows)
    db.execute("UPDATE meta SET value = ? WHERE key = 'points'", (str(count),))
    db.commit()
    db.close()
    print(f"wrote {path}: {count} points")


if __name__ == "__main__":
    main()
