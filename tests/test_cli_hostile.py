"""The command line against hostile files and huge work (issue 9 §3).

Every case gets one line on stderr and exit code 2, or progress and a clean stop on Ctrl-C
(130) / SIGTERM (143): never a traceback, a hang without progress, or memory that grows with the
input. Loader cases run in-process (the window uses the same loader); signals, terminals, pipes
and exports run ``main.py`` in a subprocess.
"""

from __future__ import annotations

import errno
import json
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import main
from core import cli as core_cli
from core import limits
from core import scenario as sc
from core.files import atomic_write_text, printable
from core.run import simulate_scenario

ROOT = Path(__file__).resolve().parent.parent
DEEP = f"nesting deeper than {limits.MAX_NESTING} levels"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``main.cli(args)`` in-process: (exit code, stdout, stderr)."""
    code = main.cli(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("descent-lab: error: "), err
    assert "Traceback" not in err
    return lines[0]


def subprocess_env(offscreen: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


# ---------------------------------------------------------------------------------------------
# 1. scenario files


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 100_000 + "]" * 100_000,  # RecursionError in tomllib before
        "x = " + "{a = " * 50_000 + "1" + "}" * 50_000,
        "a" + ".a" * 20_000 + " = 1",  # quadratic time in tomllib before (7 s)
        "[" + "a." * 20_000 + "a]\n",
        "x = [" + "{b = [" * 20 + "1" + "]}" * 20 + "]",  # arrays and inline tables mixed
    ],
    ids=["arrays", "inline-tables", "dotted-key", "table-header", "mixed"],
)
def test_deep_nesting_is_refused_at_once(tmp_path: Path, text: str) -> None:
    f = tmp_path / "x.toml"
    f.write_text(text)
    t0 = time.perf_counter()
    with pytest.raises(sc.ScenarioError, match=f"^x.toml: line 1: {DEEP}$"):
        sc.load(f)
    assert time.perf_counter() - t0 < 1.0


def test_nesting_within_the_limit_and_in_strings_and_comments_is_fine() -> None:
    depth = limits.MAX_NESTING
    with pytest.raises(sc.ScenarioError, match="unknown key 'x'"):  # parsed, then validated
        sc.loads("x = " + "[" * depth + "]" * depth)
    with pytest.raises(sc.ScenarioError, match="unknown key 'a'"):
        sc.loads(".".join(["a"] * depth) + " = 1")
    s = sc.loads(
        'title = "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a [[[["\n'
        "# " + "[" * 40 + " a" + ".a" * 40 + "\n"
        'description = """\n' + "[" * 50 + '\n\\"""' + "{" * 50 + '"""\n'
        "[[runs]]\nlabel = '" + "." * 50 + "'\nlr = 0.5\n"
    )
    assert s.title.startswith("a.a.a") and s.runs[0].label == "." * 50 and s.runs[0].lr == 0.5


@pytest.mark.parametrize(
    "text",
    [
        "[[runs]]\nstart = " + "{x = " * 30 + "1" + "}" * 30,  # deep, within the limit
        "[[runs]]\nlabel = [" + ", ".join(['"' + "x" * 1000 + '"'] * 900) + "]",
        "[[runs]]\n" + "k" * 900_000 + " = 1",
    ],
    ids=["deep-value", "huge-value", "huge-key"],
)
def test_error_messages_quote_values_briefly(text: str) -> None:
    with pytest.raises(sc.ScenarioError) as info:
        sc.loads(text)
    assert len(str(info.value)) < 500 and "\n" not in str(info.value)


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "huge.toml"
    with open(f, "wb") as fh:  # a sparse 6 GB file: reading it whole would take minutes
        fh.truncate(6 * 2**30)
    t0 = time.perf_counter()
    with pytest.raises(sc.ScenarioError, match=r"too large .*at most 1000000"):
        sc.load(f)
    assert time.perf_counter() - t0 < 1.0


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "bom.toml"
    f.write_bytes(b'\xef\xbb\xbftitle = "with a BOM"\n[[runs]]\nsteps = 3\n')
    assert sc.load(f).title == "with a BOM"


def test_unreadable_things_are_one_scenario_error(tmp_path: Path) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"title = 1\n\x00\x01\x02")
    loop = tmp_path / "loop.toml"
    loop.symlink_to(tmp_path / "loop2.toml")
    (tmp_path / "loop2.toml").symlink_to(loop)
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    cases = {binary: "binary file", tmp_path: "is not a file", loop: "symbolic link loop",
             tmp_path / "missing.toml": "no such file", fifo: "is not a file", "": "empty"}
    for path, message in cases.items():
        with pytest.raises(sc.ScenarioError, match=message) as info:
            sc.load(path)  # also what the window's File → Open calls
        assert type(info.value) is sc.ScenarioError and "\n" not in str(info.value)


def test_a_scenario_without_runs_opens_but_commands_refuse_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "empty.toml"
    f.write_text('title = "no runs yet"\n')
    assert sc.load(f).runs == ()  # the window opens it
    for command in ("run", "study"):
        code, out, err = run_cli(capsys, command, str(f))
        assert code == 2 and out == ""
        assert "the scenario has no runs" in one_error_line(err)
    r = subprocess.run([sys.executable, "main.py", "export", str(f), "-o", str(tmp_path / "a.gif")],
                       cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "the scenario has no runs" in one_error_line(r.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.toml"]


# ---------------------------------------------------------------------------------------------
# 2. run --json streams


EXTRA = """[surface]
name = "rosenbrock"
examples = 7
noise = 0.2
[[runs]]
label = "big η"
lr = 0.5
start = [-1.5, 2.0]
steps = 100
[[runs]]
batch_size = 3
steps = 50
[[runs]]
batch_size = 3
drop_last = true
steps = 50
optimizer = "adam"
lr = 0.01
[[runs]]
steps = 0
"""


class _Sink:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)


def test_streamed_json_is_byte_identical(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    scenarios = [sc.load(name) for name in sc.builtin_names()] + [sc.loads(EXTRA)]
    for scenario in scenarios:
        problem, trajs = simulate_scenario(scenario)
        sink = _Sink()
        core_cli.write_json(sink, scenario, problem, trajs)  # type: ignore[arg-type]
        assert "".join(sink.parts) == core_cli.to_json(
            core_cli.scenario_record(scenario, problem, trajs))
        assert len(sink.parts) > 10  # written in pieces, not as one string
    # and through the command line, to a file and to stdout
    out = tmp_path / "saddle.json"
    code, _, err = run_cli(capsys, "run", "saddle", "--json", str(out))
    assert code == 0, err
    scenario = sc.load("saddle")
    problem, trajs = simulate_scenario(scenario)
    expected = core_cli.to_json(core_cli.scenario_record(scenario, problem, trajs))
    assert out.read_text(encoding="utf-8") == expected
    code, stdout, _ = run_cli(capsys, "run", "saddle", "--json", "-")
    assert code == 0 and stdout == expected + "\n"


def test_no_batches_leaves_out_the_example_indices(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full, lean, table = tmp_path / "full.json", tmp_path / "lean.json", tmp_path / "t.csv"
    assert run_cli(capsys, "run", "saddle", "--json", str(full))[0] == 0
    assert run_cli(capsys, "run", "saddle", "--json", str(lean), "--csv", str(table),
                   "--no-batches")[0] == 0
    a, b = json.loads(full.read_text()), json.loads(lean.read_text())
    for run in a["runs"]:
        del run["batch"]
    assert a == b
    assert table.read_text().splitlines()[0].split(",")[-1] == "batch_loss"


def test_huge_batch_output_is_refused_before_simulating(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # N = 10⁵ full batch × 10⁶ updates: 10¹¹ example indices, ~600 GB of JSON
    f = tmp_path / "heavy.toml"
    f.write_text(HEAVY.replace("20000", "100000"))
    t0 = time.perf_counter()
    code, out, err = run_cli(capsys, "run", str(f), "--json", str(tmp_path / "x.json"))
    assert code == 2 and out == "" and time.perf_counter() - t0 < 2
    assert "add --no-batches" in one_error_line(err) and "100,000,000,000" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heavy.toml"]


def _peak_rss_kb(args: list[str], cwd: Path) -> int:
    code = ("import resource, sys; sys.path.insert(0, sys.argv[1]); import main; "
            "rc = main.cli(sys.argv[2:]); "
            "print(rc, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    r = subprocess.run([sys.executable, "-c", code, str(ROOT), *args], cwd=cwd,
                       capture_output=True, text=True, timeout=120)
    rc, kb = r.stdout.split()[-2:]
    assert rc == "0", r.stderr
    return int(kb)


def test_json_memory_does_not_grow_with_the_output(tmp_path: Path) -> None:
    # full batch N = 1000 × 2500 updates: 2.5 M example indices, ~12 MB of JSON; holding them
    # as Python lists and one string (as before) took ~100 MB more than leaving them out
    (tmp_path / "m.toml").write_text(
        '[surface]\nname = "saddle"\nexamples = 1000\n[[runs]]\nbatch_size = "full"\n'
        "steps = 2500\nlr = 0.01\nstart = [1.8, 0.1]\n")
    with_batches = _peak_rss_kb(["run", "m.toml", "--json", "with.json"], tmp_path)
    without = _peak_rss_kb(["run", "m.toml", "--json", "without.json", "--no-batches"], tmp_path)
    grown = (tmp_path / "with.json").stat().st_size - (tmp_path / "without.json").stat().st_size
    assert grown > 10_000_000
    assert (with_batches - without) * 1024 < grown / 2, (with_batches, without, grown)


# ---------------------------------------------------------------------------------------------
# 3. and 4. progress on a terminal, Ctrl-C and SIGTERM


def _start_on_a_terminal(args: list[str], cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``main.py args`` with stderr on a pseudo-terminal (progress is shown)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=slave, env=subprocess_env())
    os.close(slave)
    return proc, master


def _read_until(master: int, proc: subprocess.Popen[bytes], pattern: bytes,
                timeout: float = 40.0) -> bytes:
    """What the terminal showed until ``pattern`` appeared (fails after ``timeout``)."""
    seen = b""
    t_end = time.monotonic() + timeout
    while pattern not in seen:
        assert time.monotonic() < t_end and proc.poll() is None, seen[-500:]
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    return seen


def _finish(master: int, proc: subprocess.Popen[bytes], seen: bytes) -> tuple[int, str]:
    proc.communicate(timeout=30)
    while True:
        ready, _, _ = select.select([master], [], [], 0.1)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return proc.returncode, seen.decode("utf-8", "replace")


HEAVY = ('[surface]\nname = "saddle"\nexamples = 20000\nnoise = 0.3\n[[runs]]\n'
         'batch_size = "full"\nsteps = 1000000\nlr = 0.01\nstart = [1.8, 0.1]\n')


@pytest.mark.parametrize(("signum", "code", "word"),
                         [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_run_shows_progress_and_stops_cleanly(tmp_path: Path, signum: int, code: int,
                                              word: str) -> None:
    (tmp_path / "heavy.toml").write_text(HEAVY)
    (tmp_path / "out.json").write_text("old")
    proc, master = _start_on_a_terminal(
        ["run", "heavy.toml", "--json", "out.json", "--no-batches"], tmp_path)
    seen = _read_until(master, proc, b" left")  # "simulating: 0.1% · 2 h 03 min left"
    t0 = time.monotonic()
    proc.send_signal(signum)
    rc, text = _finish(master, proc, seen)
    assert rc == code and time.monotonic() - t0 < 5
    assert "simulating: " in text and "Traceback" not in text
    assert text.rstrip().endswith(f"descent-lab: {word}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heavy.toml", "out.json"]
    assert (tmp_path / "out.json").read_text() == "old"


def test_study_shows_progress_and_stops_cleanly(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text('[surface]\nname = "saddle"\nnoise = 0.3\n[[runs]]\n'
                                     "steps = 1000000\nlr = 0.01\nstart = [1.8, 0.1]\n")
    proc, master = _start_on_a_terminal(["study", "s.toml", "--seeds", "100", "--json",
                                         "s.json"], tmp_path)
    seen = _read_until(master, proc, b" left")  # "studying: 0.2% · 10 min 51 s left"
    proc.send_signal(signal.SIGINT)
    rc, text = _finish(master, proc, seen)
    assert rc == 130 and "studying: " in text and "Traceback" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_no_progress_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "run", "saddle")
    assert code == 0 and err == ""


@pytest.mark.parametrize(("signum", "code", "target"),
                         [(signal.SIGINT, 130, "anim.mp4"), (signal.SIGTERM, 143, "frames")])
def test_export_stops_between_frames_and_keeps_the_old_target(
        tmp_path: Path, signum: int, code: int, target: str) -> None:
    out = tmp_path / target
    if target == "frames":
        out.mkdir()  # an empty folder: allowed, and must still be there afterwards
    else:
        out.write_bytes(b"the old video")
    proc, master = _start_on_a_terminal(
        ["export", "saddle", "-o", str(out), "--frames", "2000", "--size", "640x480"], tmp_path)
    seen = _read_until(master, proc, b"exporting: frame ")
    seen = _read_until(master, proc, b"exporting: frame ", 10) + seen
    t0 = time.monotonic()
    proc.send_signal(signum)
    rc, text = _finish(master, proc, seen)
    assert rc == code, text[-500:]
    assert time.monotonic() - t0 < 10
    assert "Traceback" not in text and text.rstrip().endswith("descent-lab: " + (
        "interrupted" if signum == signal.SIGINT else "terminated"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [target]  # no .part left
    if target == "frames":
        assert list(out.iterdir()) == []
    else:
        assert out.read_bytes() == b"the old video"


def test_help_states_the_limits(capsys: pytest.CaptureFixture[str]) -> None:
    texts = {}
    for command in ([], ["run"], ["export"], ["study"]):
        with pytest.raises(SystemExit):
            main.cli([*command, "--help"])
        texts[" ".join(command)] = " ".join(capsys.readouterr().out.split())
    for text in texts.values():
        assert "1,000,000 bytes" in text and "32 levels" in text and "130" in text
    assert "--no-batches" in texts["run"] and "1,000,000,000 batch" in texts[""]
    assert "20,000 frames" in texts[""] and "10,000 seeds" in texts[""]
    assert "20,000 frames" in texts["export"] and "4096 pixels" in texts["export"]
    assert "10,000,000,000 pixels" in texts["export"] and "new or empty" in texts["export"]
    assert "10,000 seeds" in texts["study"] and "200,000 runs" in texts["study"]


# ---------------------------------------------------------------------------------------------
# 3. and 5. export limits and folders


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--frames", "20000", "--size", "4096x4096"], "too much to render"),
        (["--frames", "20001"], "between 1 and 20000"),
    ],
)
def test_export_limits(tmp_path: Path, args: list[str], message: str) -> None:
    r = subprocess.run([sys.executable, "main.py", "export", "saddle", "-o",
                        str(tmp_path / "a.gif"), *args], cwd=ROOT, env=subprocess_env(),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and message in one_error_line(r.stderr)
    assert list(tmp_path.iterdir()) == []


def test_export_never_touches_files_in_an_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "frame_00000.png").write_bytes(b"my own picture")
    r = subprocess.run([sys.executable, "main.py", "export", "saddle", "-o", str(folder),
                        "--frames", "2"], cwd=ROOT, env=subprocess_env(), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "not empty" in one_error_line(r.stderr)
    assert [p.name for p in folder.iterdir()] == ["frame_00000.png"]
    assert (folder / "frame_00000.png").read_bytes() == b"my own picture"
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


# ---------------------------------------------------------------------------------------------
# 6. output files, pipes and the terminal


def test_json_through_a_symbolic_link_writes_its_target(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target, link = tmp_path / "target.json", tmp_path / "link.json"
    target.write_text("old")
    link.symlink_to(target.name)
    assert run_cli(capsys, "run", "saddle", "--json", str(link))[0] == 0
    assert link.is_symlink() and os.readlink(link) == "target.json"
    assert json.loads(target.read_text())["surface"]["name"] == "saddle"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "target.json"]


def test_read_only_outputs_are_refused(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    ro = tmp_path / "ro.json"
    ro.write_text("keep me")
    ro.chmod(0o444)
    for option in ("--json", "--csv"):
        code, out, err = run_cli(capsys, "run", "saddle", option, str(ro))
        assert code == 2 and out == "" and "read-only" in one_error_line(err)
    assert ro.read_text() == "keep me"
    with pytest.raises(OSError, match="read-only"):  # the one writer (scenario files too)
        atomic_write_text(ro, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.json"]


def test_outputs_get_the_umask_mode_or_keep_theirs(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o027)
    try:
        assert run_cli(capsys, "run", "saddle", "--json", str(tmp_path / "new.json"))[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    kept = tmp_path / "kept.csv"
    kept.write_text("x")
    kept.chmod(0o604)
    assert run_cli(capsys, "run", "saddle", "--csv", str(kept))[0] == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_text().startswith("label")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--json", ""], "--json: empty file name"),
        (["--csv", ""], "--csv: empty file name"),
        (["--json", "{tmp}/loop.json"], "symbolic link loop"),
        (["--json", "{tmp}"], "is a folder"),
        (["--json", "{tmp}/missing/x.json"], "does not exist"),
    ],
)
def test_bad_outputs_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  args: list[str], message: str) -> None:
    (tmp_path / "loop.json").symlink_to("loop2.json")
    (tmp_path / "loop2.json").symlink_to("loop.json")
    code, out, err = run_cli(capsys, "run", "saddle", *[a.format(tmp=tmp_path) for a in args])
    assert code == 2 and out == "" and message in one_error_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.json", "loop2.json"]


def test_an_error_without_a_file_name_is_formatted(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(core_cli, "cmd_list", full_disk)
    code, _, err = run_cli(capsys, "list")
    assert code == 2 and err == "descent-lab: error: No space left on device\n"
    with open("/dev/full", "w") as full:  # every write fails: ENOSPC
        r = subprocess.run([sys.executable, "main.py", "run", "saddle", "--json", "-"],
                           cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr == "descent-lab: error: No space left on device\n"


def test_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "main.py", "run", "saddle", "--json", "-"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{"surface"'
    proc.stdout.close()  # as `| head -c 10` does
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141 and err == b""


def test_control_characters_never_reach_the_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "esc.toml"
    f.write_text('[[runs]]\nlabel = "a\\u001b]0;owned\\u0007\\u001b[31mred\\r"\nsteps = 2\n'
                 '[[runs]]\nlabel = "b\\u009b2J"\nsteps = 2\n')
    code, out, err = run_cli(capsys, "run", str(f))
    assert code == 0, err
    assert not any(c in out for c in "\x1b\x07\r\x9b")
    assert "a\\x1b]0;owned\\x07\\x1b[31mred\\x0d" in out and "b\\x9b2J" in out
    code, _, err = run_cli(capsys, "run", "bad\x1b[2Jname.toml")
    assert code == 2 and "\x1b" not in err and "bad\\x1b[2Jname.toml" in err
    assert printable("θ ok\tx\n", newlines=True) == "θ ok\\x09x\n"

