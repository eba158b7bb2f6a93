#!/usr/bin/env python3
"""Side-by-side SQLite loops: the same client work on a mount and on a plain local directory, in one run.

A copy of the project's shared yardstick (bench/sqlite_loops.py, behind the figures in design.md): the loops
(inserts, point_reads) are unchanged. Added for `litefs-bench fuse`: --cases picks cases by id, --inserts and
--reads set the loop sizes, --only DIR runs the loop on one directory (the counting pass), every measurement
is also printed as a machine-readable RESULT line, and --paired CHUNK runs the same statements on both
directories at once, alternating every CHUNK statements, for machines whose disk is shared: both sides then
see the same moments of load (the rate of each side is its statements over the time spent on its side).

usage: sqlite_loops.py MOUNT_DIR LOCAL_DIR [--reps 3] [--cases id,...] [--inserts N] [--reads N] [--paired K]
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

def _paired(paths, setup, statement, n, chunk):
    """Runs setup(path) -> connection on every path, then n statements on each, alternating every chunk."""
    conns = [setup(p) for p in paths]
    spent = [0.0] * len(conns)
    done = 0
    while done < n:
        k = min(chunk, n - done)
        for i, c in enumerate(conns):
            t = time.perf_counter()
            for _ in range(k):
                statement(c)
            spent[i] += time.perf_counter() - t
        done += k
    for c in conns:
        c.close()
    return [n / s for s in spent]

def inserts_paired(paths, mode, sync, n, chunk):
    """inserts() on every path at once, alternating every chunk transactions."""
    def setup(path):
        _fresh(path)
        c = sqlite3.connect(path, isolation_level=None)
        c.execute(f"PRAGMA journal_mode={mode}")
        c.execute(f"PRAGMA synchronous={sync}")
        c.execute("CREATE TABLE b(id INTEGER PRIMARY KEY, v TEXT)")
        return c
    return _paired(paths, setup, lambda c: c.execute("INSERT INTO b(v) VALUES ('x')"), n, chunk)

def point_reads_paired(paths, mode, n, chunk, one_tx=False):
    """point_reads() on every path at once, alternating every chunk queries."""
    def setup(path):
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
        return c
    return _paired(paths, setup,
                   lambda c: c.execute("SELECT v FROM r WHERE id=?", (random.randint(1, 50000),)).fetchone(), n, chunk)

def paired_cases(n_inserts, n_reads, chunk):
    """(id, name, loop on [mount, local] returning both rates), as cases()."""
    return [
        ("insert-delete-full", "insert DELETE/FULL", lambda ds: inserts_paired([d + "/ins_delete_full" for d in ds], "delete", "FULL", n_inserts, chunk)),
        ("insert-wal-full", "insert WAL/FULL", lambda ds: inserts_paired([d + "/ins_wal_full" for d in ds], "wal", "FULL", n_inserts, chunk)),
        ("insert-wal-normal", "insert WAL/NORMAL", lambda ds: inserts_paired([d + "/ins_wal_normal" for d in ds], "wal", "NORMAL", n_inserts, chunk)),
        ("read-wal", "point read WAL autocommit", lambda ds: point_reads_paired([d + "/rd_wal" for d in ds], "wal", n_reads, chunk)),
        ("read-delete", "point read DELETE autocommit", lambda ds: point_reads_paired([d + "/rd_delete" for d in ds], "delete", n_reads, chunk)),
        ("read-wal-tx", "point read WAL one tx", lambda ds: point_reads_paired([d + "/rd_wal_tx" for d in ds], "wal", n_reads, chunk, one_tx=True)),
    ]

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
    ap.add_argument("--paired", type=int, default=0)
    a = ap.parse_args()
    wanted = [c for c in a.cases.split(",") if c]
    selected = [c for c in cases(a.inserts, a.reads) if not wanted or c[0] in wanted]
    if a.only:
        for cid, _, case in selected:
            print(f"RESULT {cid} 0 {case(a.only):.1f} 0", flush=True)
        return
    os.makedirs(a.local, exist_ok=True)
    if a.paired:
        paired = {c[0]: c[2] for c in paired_cases(a.inserts, a.reads, a.paired)}
        selected = [(cid, name, paired[cid]) for cid, name, _ in selected]
    for cid, name, case in selected:
        runs = []
        for rep in range(a.reps):
            m, l = case([a.mount, a.local]) if a.paired else (case(a.mount), case(a.local))
            print(f"RESULT {cid} {rep} {m:.1f} {l:.1f}", flush=True)
            runs.append((m, l))
        runs.sort(key=lambda r: r[0] / r[1])
        m, l = runs[len(runs) // 2]
        print(f"{name:30s} ratio {m / l:6.3f}   mount {m:9.0f}/s   local {l:9.0f}/s", flush=True)

if __name__ == "__main__":
    main()
