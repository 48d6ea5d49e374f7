#!/usr/bin/python3
"""camp's test runner.

Runs every test program and counts TAP lines ("ok ..." / "not ok ..."):
the cmocka unit tests (CMOCKA_MESSAGE_OUTPUT=TAP), the format check, and
the Python end-to-end and interop scripts in tests/e2e and tests/interop.
A program that exits non-zero without reporting a failure counts as one
failure, so a crash is never a pass.  The last line is `N passed, N failed`.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAP = re.compile(r"^(not ok|ok)\b[ \d]*(?:- )?(.*)$")


def programs(args):
    """Yields (name, argv, env, timeout) for every test program."""
    env = dict(os.environ)
    env["CAMP_BIN"] = os.path.abspath(args.bin)
    env["CMOCKA_MESSAGE_OUTPUT"] = "TAP"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if args.asan:
        env["CAMP_ASAN"] = "1"
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0:halt_on_error=1"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    for path in sorted(glob.glob(os.path.join(args.build, "tests/unit/test-*"))):
        yield "unit/" + os.path.basename(path), [path], env, 300
    if not args.asan:
        yield "format", ["make", "-s", "format-check"], env, 120
    for folder in ("e2e", "interop"):
        for path in sorted(glob.glob(os.path.join(ROOT, "tests", folder, "test_*.py"))):
            name = folder + "/" + os.path.basename(path)[:-3]
            yield name, ["/usr/bin/python3", path], env, 900


def run_one(name, argv, env, timeout):
    """Runs one program; returns (name, [(ok, title)], output, seconds)."""
    start = time.time()
    # Each program gets its own process group, so that whatever it started
    # (servers, clients) goes with it if it has to be stopped.
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        raw, _ = proc.communicate(timeout=timeout)
        code = proc.returncode
        out = raw.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate()
        out = raw.decode("utf-8", "replace") + "\n(timed out after %ds)" % timeout
        code = -1
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # anything left behind
    except ProcessLookupError:
        pass
    results = []
    for line in out.splitlines():
        m = TAP.match(line)
        if m and m.group(2) != "tests":  # cmocka's closing "# ok - tests"
            results.append((m.group(1) == "ok", m.group(2).strip()))
    if name == "format" and not results:
        results.append((code == 0, "clang-format leaves every file unchanged"))
    if code != 0 and all(ok for ok, _ in results):
        results.append((False, "exited with status %d" % code))
    if not results:
        results.append((False, "reported no results"))
    return name, results, out, time.time() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="./camp")
    ap.add_argument("--build", default="build")
    ap.add_argument("--asan", action="store_true")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("only", nargs="*", help="run only tests whose name has this")
    args = ap.parse_args()

    todo = [p for p in programs(args)
            if not args.only or any(o in p[0] for o in args.only)]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_one, *p) for p in todo]
        for fut in concurrent.futures.as_completed(futures):
            name, results, out, secs = fut.result()
            bad = [t for ok, t in results if not ok]
            for ok, title in results:
                print("%s %s: %s" % ("ok  " if ok else "FAIL", name, title))
            if bad:
                print("---- output of %s ----" % name)
                print(out.rstrip()[-6000:])
                print("----")
            print("#    %s took %.1fs" % (name, secs))
            sys.stdout.flush()
            passed += len(results) - len(bad)
            failed += len(bad)
    if passed + failed == 0:
        failed = 1
        print("FAIL no tests were found")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
