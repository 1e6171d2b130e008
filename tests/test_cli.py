"""The command line: §7's JSON, batches, and every error one line with exit 1 (never a traceback)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(db_path, tmp_path):
    return {"PLANBOT_DB": str(db_path), "PLANBOT_STATE": str(tmp_path / "state.db"), "HOME": str(tmp_path)}


@pytest.fixture
def run(env, tmp_path):
    def planbot(*args, extra=None):
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], env={**env, **(extra or {})}, cwd=tmp_path,
                              capture_output=True, text=True, encoding="utf-8")  # fmt: skip

    return planbot


def test_ask_json_is_the_contracts_object(run):
    out = run("ask", "--json", "ブックポストは区内に何か所ある？")
    answer = json.loads(out.stdout)
    assert set(answer) == {"question", "intent", "answer", "projects", "candidates", "text", "blocks"}
    assert answer["answer"].startswith("22か所です") and answer["text"].startswith("22か所です")
    assert answer["blocks"][0]["text"]["text"].startswith("22か所です")  # Slack opens with the answer too


def test_a_batch_answers_every_line_in_order(run, tmp_path):
    batch = tmp_path / "q.txt"
    batch.write_text("電子書籍\n\n施策はいくつ？\n", encoding="utf-8")
    lines = [json.loads(line) for line in run("ask", "--json", "--batch", str(batch)).stdout.splitlines()]
    assert [a["intent"] for a in lines] == ["project", "help", "list"]
    assert lines[2]["answer"] == "計画の施策は11です。"


def test_the_terminal_shows_the_direct_answer_first(run):
    assert run("ask", "一番達成率が高い指標は？").stdout.startswith("令和7年度の達成率が最も高い指標は電子書籍貸出数")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("export", "--out", "/missing/x.csv"), "/missing/x.csv"),
        (("chart", "--out", "/missing/c.png"), "/missing/c.png"),
        (("ask", "--batch", "/"), "/"),
        (("ask", "--batch", "/no/such/file.txt"), "file.txt"),
    ],
)
def test_every_error_is_one_line_and_exit_1(run, args, named):
    out = run(*args)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and named in out.stderr


def test_post_summary_with_the_network_down_is_one_line(run):
    down = {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_API_URL": "http://127.0.0.1:9/api/"}  # nothing listens on port 9
    out = run("post-summary", "--channel", "C1", "--no-chart", extra=down)
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_is_not_an_error(env, tmp_path):
    batch = tmp_path / "many.txt"
    batch.write_text("全体のまとめ\n" * 100, encoding="utf-8")  # far more than a pipe's 64 kB buffer
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ask", "--json", "--batch", str(batch)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)  # fmt: skip
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and b"Traceback" not in err and b"BrokenPipe" not in err


def test_knowledge_never_reads_the_environment():
    for path in (ROOT / "knowledge").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source, path.name


def test_a_dotenv_file_sets_the_index_for_every_command(tmp_path):
    (tmp_path / ".env").write_text(f"PLANBOT_DB={tmp_path / 'from-dotenv.db'}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot.cli", "index"], cwd=tmp_path, capture_output=True, text=True,
                         env={"HOME": str(tmp_path), "PLANBOT_STATE": str(tmp_path / "s.db")})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "from-dotenv.db").exists() and "from-dotenv.db" in out.stdout


def test_the_chart_is_drawn_without_pyplot(tmp_path, env):
    probe = ("import sys; from bot.chart import chart_png; from bot.settings import Settings; "
             "from knowledge.answer import KnowledgeBase; "
             "png = chart_png(KnowledgeBase.open(Settings.load().db_path).report); "
             "print(png[:4] == b'\\x89PNG', 'matplotlib.pyplot' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "False"], out.stderr  # pyplot's global state is not thread-safe


def test_a_dotenv_file_in_a_folder_above_is_read_from_its_subfolders(tmp_path):
    (tmp_path / ".env").write_text(f"PLANBOT_DB={tmp_path / 'from-above.db'}\n", encoding="utf-8")
    below = tmp_path / "docs" / "notes"
    below.mkdir(parents=True)
    out = subprocess.run([sys.executable, "-m", "bot.cli", "index"], cwd=below, capture_output=True, text=True,
                         env={"HOME": str(tmp_path), "PLANBOT_STATE": str(tmp_path / "s.db")})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "from-above.db").exists()


def test_version_names_the_installed_package(run):
    out = run("--version")
    assert out.returncode == 0 and re.fullmatch(r"planbot \d+\.\d+\.\d+\S*\n", out.stdout)


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_questions_with_no_log_yet_names_the_store_and_succeeds(run, env, fmt):
    out = run("questions", "--format", fmt)
    assert out.returncode == 0 and env["PLANBOT_STATE"] in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("name", "magic"), [("c.png", b"\x89PNG"), ("c.PNG", b"\x89PNG"), ("c.svg", b"<?xml"), ("c.pdf", b"%PDF")]
)
def test_chart_writes_the_format_its_file_name_asks_for(run, tmp_path, name, magic):
    out = run("chart", "--out", str(tmp_path / name))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / name).read_bytes().startswith(magic)


@pytest.mark.parametrize("name", ["c.jpg", "c.webp", "chart"])
def test_chart_refuses_a_format_it_cannot_write_and_writes_nothing(run, tmp_path, name):
    out = run("chart", "--out", str(tmp_path / name))
    assert out.returncode == 1 and ".png .svg .pdf" in out.stderr and not (tmp_path / name).exists()


def test_chart_without_the_plotting_extra_says_how_to_install_it(env, tmp_path):
    # A stand-in package that fails to import, as when `pip install planbot` left the [chart] extra out.
    fake = tmp_path / "site"
    (fake / "matplotlib_fontja").mkdir(parents=True)
    (fake / "matplotlib_fontja" / "__init__.py").write_text("raise ImportError('absent', name='matplotlib_fontja')\n")
    out = subprocess.run([sys.executable, "-m", "bot.cli", "chart", "--out", str(tmp_path / "c.png")], cwd=tmp_path,
                         env={**env, "PYTHONPATH": str(fake)}, capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 1 and "pip install 'planbot[chart]'" in out.stderr and "Traceback" not in out.stderr
