#!/usr/bin/env python3
"""Side-by-side SQLite loops: the same client work on a mount and on a plain local directory, in one run.

A copy of the project's shared yardstick (bench/sqlite_loops.py, behind the figures in design.md): the loops
(inserts, point_reads) are unchanged. Added for `litefs-bench fuse`: --cases picks cases by id, --inserts and
--reads set the loop sizes, --only DIR runs the loop on one directory (the counting pass), and every
measurement is also printed as a machine-readable RESULT line.

usage: sqlite_loops.py MOUNT_DIR LOCAL_DIR [--reps 3] [--cases id,...] [--inserts N] [--reads N]
       sqlite_loops.py --only DIR --cases id [--inserts N] [--reads N]
"""
import argparse, os, random, sqlite3, time

def _fresh(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass

def inserts(path, mode, sync, n=1000):
    """Single-row INSERT transactions per second (one autocommit transaction each)."""
    _fresh(path)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute(f"PRAGMA journal_mode={mode}")
    c.execute(f"PRAGMA synchronous={sync}")
    c.execute("CREATE TABLE b(id INTEGER PRIMARY KEY, v TEXT)")
    t = time.perf_counter()
    for _ in range(n):
        c.execute("INSERT INTO b(v) VALUES ('x')")
    rate = n / (time.perf_counter() - t)
    c.close()
    return rate

def point_reads(path, mode, n=20000, one_tx=False):
    """Point SELECTs by primary key per second; one autocommit read transaction each unless one_tx."""
    _fresh(path)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute(f"PRAGMA journal_mode={mode}")
    c.execute("CREATE TABLE r(id INTEGER PRIMARY KEY, v TEXT)")
    c.execute("BEGIN")
    c.executemany("INSERT INTO r(v) VALUES (?)", (("v" * 100,) for _ in range(50000)))
    c.execute("COMMIT")
    c.close()
    c = sqlite3.connect(path, isolation_level=None)
    if one_tx:
        c.execute("BEGIN")
    for _ in range(2000):
        c.execute("SELECT v FROM r WHERE id=?", (random.randint(1, 50000),)).fetchone()
    t = time.perf_counter()
    for _ in range(n):
        c.execute("SELECT v FROM r WHERE id=?", (random.randint(1, 50000),)).fetchone()
    rate = n / (time.perf_counter() - t)
    if one_tx:
        c.execute("COMMIT")
    c.close()
    return rate

def cases(n_inserts, n_reads):
    """(id, name, loop on a directory) in the yardstick's order."""
    return [
        ("insert-delete-full", "insert DELETE/FULL", lambda d: inserts(d + "/ins_delete_full", "delete", "FULL", n_inserts)),
        ("insert-wal-full", "insert WAL/FULL", lambda d: inserts(d + "/ins_wal_full", "wal", "FULL", n_inserts)),
        ("insert-wal-normal", "insert WAL/NORMAL", lambda d: inserts(d + "/ins_wal_normal", "wal", "NORMAL", n_inserts)),
        ("read-wal", "point read WAL autocommit", lambda d: point_reads(d + "/rd_wal", "wal", n_reads)),
        ("read-delete", "point read DELETE autocommit", lambda d: point_reads(d + "/rd_delete", "delete", n_reads)),
        ("read-wal-tx", "point read WAL one tx", lambda d: point_reads(d + "/rd_wal_tx", "wal", n_reads, one_tx=True)),
    ]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mount", nargs="?")
    ap.add_argument("local", nargs="?")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--cases", default="")
    ap.add_argument("--inserts", type=int, default=1000)
    ap.add_argument("--reads", type=int, default=20000)
    ap.add_argument("--only")
    a = ap.parse_args()
    wanted = [c for c in a.cases.split(",") if c]
    selected = [c for c in cases(a.inserts, a.reads) if not wanted or c[0] in wanted]
    if a.only:
        for cid, _, case in selected:
            print(f"RESULT {cid} 0 {case(a.only):.1f} 0", flush=True)
        return
    os.makedirs(a.local, exist_ok=True)
    for cid, name, case in selected:
        runs = []
        for rep in range(a.reps):
            m, l = case(a.mount), case(a.local)
            print(f"RESULT {cid} {rep} {m:.1f} {l:.1f}", flush=True)
            runs.append((m, l))
        runs.sort(key=lambda r: r[0] / r[1])
        m, l = runs[len(runs) // 2]
        print(f"{name:30s} ratio {m / l:6.3f}   mount {m:9.0f}/s   local {l:9.0f}/s", flush=True)

if __name__ == "__main__":
    main()
