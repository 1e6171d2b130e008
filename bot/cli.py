"""The `planbot` command line (docs/design.md §3). Answering on the command line never imports Slack."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from knowledge.errors import PlanbotError


def main(argv: list[str] | None = None) -> int:
    """Run one planbot command; exit 0 on success, 1 on a planbot error (message on stderr), 2 on usage."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Japanese must print whatever the locale says
    args = _parser().parse_args(argv)
    try:
        from bot.settings import Settings

        return args.run(args, Settings.load("cli")) or 0
    except PlanbotError as e:
        print(f"planbot: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`planbot ask … | head`): not an error. Send what is left nowhere,
        # so the interpreter's last flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:  # a file that cannot be read or written, the network down…
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        print(f"planbot: {where}{e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="planbot", description="港区図書館サービス推進計画の進捗を答えるボット")
    ap.add_argument("--version", action=_Version, help="バージョンを表示して終了")
    sub = ap.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("ask", help="質問に答える (Slack なしで)")
    p.add_argument("question", nargs="?", default="", help="質問 (例: 電子書籍の進捗は？)")
    p.add_argument("--json", action="store_true", help="docs/design.md §3 の JSON を出力")
    p.add_argument("--batch", metavar="FILE", help="1行1問のファイルを読み、1行1件の JSON を出力")
    p.add_argument("--compact", action="store_true", help="会議中の確認向けの短いカード")
    p.add_argument("--explain", action="store_true", help="保守用: 質問をどう読み、どの経路で答えたか")
    p.add_argument("--thread", metavar="KEY", help="会話 KEY の続きとして答える (前の質問の話題を引き継ぐ)")
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_ask)

    p = sub.add_parser("index", help="報告書から索引を作り直す")
    p.add_argument("sources", nargs="*", type=Path, metavar="SOURCE", help="報告書のテキスト (既定: 同梱の報告書)")
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_index)

    p = sub.add_parser("summary", help="年度末のまとめを表示する")
    p.add_argument("--json", action="store_true", help="投稿される Block Kit メッセージを JSON で出力")
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_summary)

    p = sub.add_parser("post-summary", help="年度末のまとめをチャンネルに投稿する")
    p.add_argument("--channel", required=True, help="チャンネル ID (例: C0123456789)")
    p.add_argument("--at", help="予約投稿の日時 'YYYY-MM-DD HH:MM' (日本時間, 120日先まで)")
    p.add_argument("--dry-run", action="store_true", help="投稿せずに、投稿する内容を表示する")
    p.add_argument("--no-chart", action="store_true", help="指標のグラフをスレッドに投稿しない")
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_post_summary)

    p = sub.add_parser("chart", help="指標の目標と実績のグラフをファイルに書き出す (planbot[chart] が必要)")
    p.add_argument("--out", type=Path, required=True, help="出力するファイル: .png .svg .pdf")
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_chart)

    p = sub.add_parser("serve", help="Slack アプリとして動かす (既定: Socket Mode)")
    p.add_argument("--http", action="store_true", help="HTTP で /slack/events を受ける (SLACK_SIGNING_SECRET が必要)")
    p.add_argument("--port", type=int, default=3000)
    p.add_argument("--host", default="127.0.0.1", help="HTTP の待ち受けアドレス (既定: 127.0.0.1、TLS の前段から)")
    p.add_argument("--drain", type=float, default=20.0, metavar="SECONDS",
                   help="停止時に回答中の処理を待つ秒数 (既定: 20; 残りは次の起動で回答)")  # fmt: skip
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_serve)

    p = sub.add_parser("questions", help="職員が聞いた質問の一覧 (利用者の ID は含みません)")
    p.add_argument("--unanswered", action="store_true", help="答えられなかった質問 (記載なし・見つからない・👎) だけ")
    p.add_argument("--labelled", action="store_true", help="職員が正しい事業を指定した質問だけ")
    p.add_argument("--since", metavar="DATE", help="この日 (YYYY-MM-DD, 日本時間) 以降")
    p.add_argument("--format", choices=["table", "csv", "json", "jsonl"], default="table")
    p.set_defaults(run=_questions)

    p = sub.add_parser("export", help="事業・指標・進捗管理票を JSON/CSV で書き出す")
    p.add_argument("--format", choices=["json", "csv"], default="csv")
    p.add_argument("--out", type=Path, help="出力ファイル (既定: 標準出力)")
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_export)

    p = sub.add_parser("brief", help="会議・報告・答弁用の短いまとめ (数字が先、出典つき)")
    p.add_argument("scope", nargs="?", default="全体", metavar="SCOPE",
                   help="事業番号・事業名、基本目標N、施策N-(N)、重点、新規、全体 (既定: 全体)")  # fmt: skip
    p.add_argument("--lines", type=int, metavar="N", help="行数 (既定: 用途ごと)")
    p.add_argument("--style", choices=sorted(BRIEF_STYLES), help="形: 一言・行・箇条書き・数字だけ")
    p.add_argument("--for", dest="audience", choices=sorted(BRIEF_AUDIENCES), help="用途: 会議・答弁・報告")
    p.add_argument(
        "--focus", choices=sorted(BRIEF_FOCUS), help="ハイライトだけ・課題だけ・新しい取組だけ・伸びたものだけ"
    )
    p.add_argument("--json", action="store_true", help="行ごとの出典つき JSON と Slack のブロックを出力")
    p.add_argument("--db", type=Path, help="索引のパス (既定: PLANBOT_DB)")
    p.set_defaults(run=_brief)
    return ap


# What `planbot brief` accepts, in Japanese as staff write it or in the API's own words.
BRIEF_STYLES = {"一言": "one", "行": "lines", "箇条書き": "bullets", "数字だけ": "figures",
                "one": "one", "lines": "lines", "bullets": "bullets", "figures": "figures"}  # fmt: skip
BRIEF_AUDIENCES = {"会議": "meeting", "答弁": "answer", "報告": "report",
                   "meeting": "meeting", "answer": "answer", "report": "report"}  # fmt: skip
BRIEF_FOCUS = {"ハイライト": "highlights", "課題": "concerns", "新しい取組": "new", "伸びたもの": "growth",
               "highlights": "highlights", "concerns": "concerns", "new": "new", "growth": "growth"}  # fmt: skip


class _Version(argparse.Action):
    """--version, looked up only when asked (reading package metadata would slow every command)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("planbot")
        except PackageNotFoundError:  # run from a source tree that was never installed
            found = "(not installed)"
        print(f"planbot {found}")
        parser.exit()


def _load(db: Path):
    from knowledge.index import connect, ensure_index, load_report

    conn = connect(ensure_index(db))
    try:
        return load_report(conn)
    finally:
        conn.close()


def _ask(args: argparse.Namespace, settings) -> int:
    from bot.cards import render, to_terminal
    from bot.conversation import CLI_TTL, Conversations
    from bot.state import StateStore, StateUnavailable
    from knowledge.answer import KnowledgeBase

    kb = KnowledgeBase.open(args.db or settings.db_path)
    store = None
    if args.thread:
        try:
            store = StateStore(settings.state_path)
        except StateUnavailable as e:
            print(f"planbot: {e} (前の質問を引き継がずに答えます)", file=sys.stderr)
    conversations = Conversations(kb, store)
    key = f"cli:{args.thread}" if args.thread else None
    questions = _read_batch(Path(args.batch)) if args.batch else [args.question]
    for question in questions:
        answer = conversations.ask(key, question, CLI_TTL)
        messages = render(answer, compact=args.compact)
        if args.explain:
            from knowledge.explain import explain

            print(explain(answer))
        if args.json or args.batch:
            print(json.dumps(answer_json(answer, messages), ensure_ascii=False))
        else:
            print(to_terminal(messages))
    return 0


def answer_json(answer, messages) -> dict:
    """The §7 JSON object for one answer; `blocks` is what Slack gets (all messages, in order)."""
    return {
        "question": answer.question,
        "intent": answer.intent,
        "answer": answer.direct,
        "projects": answer.project_ids,
        "candidates": answer.candidate_ids,
        "text": messages[0].text,
        "blocks": [b for m in messages for b in m.blocks],
    }


def _read_batch(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlanbotError(f"{path}: ファイルが見つかりません") from None
    except UnicodeDecodeError:
        raise PlanbotError(f"{path}: UTF-8 のテキストではありません") from None
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and not lines[-1]:
        lines.pop()  # the file's final newline ends the last question; it is not one more
    return lines  # a blank line is a question too (it gets the help card), so answers stay in order


def _digest_json(digest) -> dict:
    return {
        "parent": [{"text": m.text, "blocks": m.blocks} for m in digest.parent],
        "thread": [{"text": m.text, "blocks": m.blocks} for m in digest.threads],
        "charts": [{"text": m.text, "blocks": m.blocks} for m in digest.charts],
    }


def _summary(args: argparse.Namespace, settings) -> int:
    from bot.cards import to_terminal
    from bot.digest import build_digest
    from knowledge.answer import KnowledgeBase

    digest = build_digest(KnowledgeBase.open(args.db or settings.db_path))
    if args.json:
        print(json.dumps(_digest_json(digest), ensure_ascii=False))
    else:
        print(to_terminal(digest.parent))
        print(to_terminal(digest.threads))
        print(to_terminal(digest.charts))
    return 0


def _post_summary(args: argparse.Namespace, settings) -> int:
    from bot.cards import to_terminal
    from bot.digest import build_digest, parse_at, post_digest
    from knowledge.answer import KnowledgeBase

    at = parse_at(args.at) if args.at else None
    kb = KnowledgeBase.open(args.db or settings.db_path)
    if args.dry_run:
        digest = build_digest(kb)
        when = f"{at:%Y-%m-%d %H:%M} (日本時間) に予約" if at else "すぐに投稿"
        print(f"[dry run] {args.channel} に{when}する内容です。何も投稿していません。\n")
        print(to_terminal(digest.parent))
        if at:
            print("[dry run] 予約投稿では親メッセージのみ送られます (スレッドとグラフは予約できません)。")
        else:
            print(f"[dry run] スレッドへの返信 {len(digest.threads)} 件:\n")
            print(to_terminal(digest.threads))
            if not args.no_chart:
                print(f"[dry run] グラフ: {digest.chart_title} (Slack のグラフ) をスレッドに投稿:\n")
                print(to_terminal(digest.charts))
        return 0
    from bot.slack_client import web_client

    result = post_digest(web_client(settings.require("web")), kb, args.channel, at=at, chart=not args.no_chart)
    if at:
        print(
            f"{args.channel} に {at:%Y-%m-%d %H:%M} (日本時間) の投稿を予約しました: {', '.join(result['scheduled'])}"
        )
        print("予約投稿では親メッセージのみ送られます (スレッドとグラフは投稿時に作れないため)。")
    else:
        print(f"{args.channel} に投稿しました: ts={result['ts']}、スレッド {len(result['thread'])} 件")
    return 0


def _chart(args: argparse.Namespace, settings) -> int:
    from bot.chart import chart_format, chart_image
    from knowledge.answer import KnowledgeBase

    fmt = chart_format(args.out.suffix)  # before any drawing: a suffix we cannot honour is refused
    image = chart_image(KnowledgeBase.open(args.db or settings.db_path).report, fmt)
    args.out.write_bytes(image)
    print(f"{args.out}: {len(image):,} bytes ({fmt.upper()})", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace, settings) -> int:
    import logging

    from bot.app import build_app
    from bot.server import serve_http, serve_socket_mode
    from knowledge.live import LiveKnowledge

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings.require("http" if args.http else "socket")
    kb = LiveKnowledge(args.db or settings.db_path)  # follows `planbot index` with no restart
    app = build_app(settings, kb, http=args.http)
    app.work.resume()  # what was acknowledged before a restart and not answered yet
    if args.http:
        from bot.mcp_server import MCP_PATH, mcp_wsgi

        mounts = {MCP_PATH: mcp_wsgi(kb)}  # planbot's facts as tools for Slackbot, on the same port
        where = f"http://{args.host}:{args.port}"
        print(
            f"planbot: {where}/slack/events と {where}{MCP_PATH} (MCP) で待ち受けます (Ctrl-C で終了)", file=sys.stderr
        )
        serve_http(app, args.host, args.port, drain=args.drain, mounts=mounts)
    else:
        print("planbot: Socket Mode で接続します (Ctrl-C で終了)", file=sys.stderr)
        serve_socket_mode(app, settings.app_token, drain=args.drain)
    return 0


def _index(args: argparse.Namespace, settings) -> int:
    from knowledge.index import build_index, table_counts

    db = args.db or settings.db_path
    path, report = build_index(args.sources or None, db)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"{report.source_name} ({report.as_of}時点) → {path}")
    for table, n in table_counts(path).items():
        print(f"  {table:<17}{n:>5}")
    return 0


def _questions(args: argparse.Namespace, settings) -> int:
    import csv
    import io
    from datetime import datetime

    from bot.feedback import JST, as_case, grouped, spreadsheet_safe
    from bot.state import StateStore

    since = None
    if args.since:
        try:
            since = datetime.strptime(args.since, "%Y-%m-%d").replace(tzinfo=JST).timestamp()
        except ValueError:
            raise PlanbotError(f"--since {args.since}: 日付は YYYY-MM-DD で指定してください") from None
    # Which store was read, always (on stderr): a log read from the wrong place must not look empty.
    path = settings.state_path
    entries = []
    if path.exists():  # a missing store is an empty log, not an error: nobody has asked yet
        store = StateStore(path)
        entries = grouped(store.questions(since), unanswered=args.unanswered, labelled=args.labelled)
        store.close()
    print(f"質問ログ: {path} (PLANBOT_STATE){'' if path.exists() else ' — まだありません'}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(entries, ensure_ascii=False, indent=1))
    elif args.format == "jsonl":
        for e in entries:
            print(json.dumps(as_case(e) if args.labelled else e, ensure_ascii=False))
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["q", "count", "intent", "projects", "answered", "up", "down", "labelled"])
        for e in entries:
            row = [e["q"], e["count"], e["intent"], " ".join(e["projects"]), e["answered"], e["feedback"]["up"],
                   e["feedback"]["down"], e["labelled"] or ""]  # fmt: skip
            writer.writerow([spreadsheet_safe(v) for v in row])
        sys.stdout.write(out.getvalue())
    else:
        print(f"{'回数':>4}  {'結果':<12} {'👍':>2} {'👎':>2}  {'正解':<8}  質問 → 事業")
        for e in entries:
            fb = e["feedback"]
            print(f"{e['count']:>4}  {e['answered']:<12} {fb['up']:>2} {fb['down']:>2}  {e['labelled'] or '':<8}  "
                  f"{e['q']} → {' '.join(e['projects'][:3]) or '—'}")  # fmt: skip
        print(f"({len(entries)} 種類の質問)", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace, settings) -> int:
    from knowledge.export import to_csv, to_json

    report = _load(args.db or settings.db_path)
    text = to_json(report) if args.format == "json" else to_csv(report)
    if args.out:
        args.out.write_text(text, encoding="utf-8", newline="")
        print(f"{args.out}: {len(report.projects)} 事業を書き出しました", file=sys.stderr)
    else:
        sys.stdout.write(text.removeprefix("\ufeff"))
    return 0


def _brief(args: argparse.Namespace, settings) -> int:
    from knowledge.brief import brief

    report = _load(args.db or settings.db_path)
    style = BRIEF_STYLES[args.style] if args.style else ("lines" if args.lines else "bullets")
    b = brief(
        report,
        args.scope,
        lines=args.lines,
        style=style,
        audience=BRIEF_AUDIENCES.get(args.audience or "", "general"),
        focus=BRIEF_FOCUS.get(args.focus or "", "all"),
    )
    if args.json:
        from bot.brief_card import brief_messages

        messages = brief_messages(b)
        print(json.dumps({**b.as_dict(), "blocks": [x for m in messages for x in m.blocks]}, ensure_ascii=False))
    else:
        print(b.plain())
    return 0


if __name__ == "__main__":
    sys.exit(main())
