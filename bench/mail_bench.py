"""The mail import's bench: a Gmail-Takeout-shaped mbox of 100,000 messages with bodies
of about 10 KB (1.1 GB), imported into a copy of the 10k-customer book, then again."""

import random
import shutil
from pathlib import Path

MESSAGES = 100_000
# A body as mail carries it: lines of 76 characters (quoted-printable, base64 attachments).
BODY = (b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod te\r\n") * 128


def write_mbox(path: Path, customers: int) -> Path:
    if path.exists():
        return path
    rng = random.Random(MESSAGES)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        for number in range(MESSAGES):
            customer = f"customer{rng.randint(1, customers)}@example.com"
            other = f"someone{rng.randint(1, 50_000)}@elsewhere.example"
            sender, recipient = rng.choice(
                [
                    (customer, "me@example.com"),
                    ("me@example.com", customer),
                    (other, "me@example.com"),
                ]
            )
            day = 1 + number % 28
            listed = b"List-Id: <news.elsewhere.example>\r\n" if number % 10 == 0 else b""
            out.write(
                b"From 18173044%011d@xxx Mon Nov %02d 10:00:00 +0000 2026\r\n"
                b"X-GM-THRID: 18173044%011d\r\nX-Gmail-Labels: Inbox,Opened\r\n"
                b"Delivered-To: me@example.com\r\n"
                b"Received: by 2002:a05:7300:1234 with SMTP id x%d;\r\n"
                b"        Mon, %d Nov 2026 10:00:02 -0800 (PST)\r\n"
                b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=x;\r\n"
                b"        h=to:subject:message-id:date:from:mime-version; bh=abcdefghijk=;\r\n"
                b"        b=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\r\n"
                b"MIME-Version: 1.0\r\n%s"
                b"From: Someone <%s>\r\nDate: Mon, %d Nov 2026 09:%02d:00 -0800\r\n"
                b"Message-ID: <bench-%d@mail.example>\r\nSubject: Re: order %d\r\n"
                b'To: <%s>\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\n'
                % (
                    number,
                    day,
                    number,
                    number,
                    day,
                    listed,
                    sender.encode(),
                    day,
                    number % 60,
                    number,
                    number,
                    recipient.encode(),
                )
            )
            out.write(BODY)
            out.write(b"\r\n")
    partial.rename(path)
    return path


def bench_mail(book: Path, out: Path, followup: str, env: dict, timed_once) -> None:
    mbox = write_mbox(out / "mail-100k.mbox", 10_000)
    target = out / "mail.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(book, target)
    size = mbox.stat().st_size / 1e9
    command = [followup, "--db", str(target), "import", "mail", str(mbox), "--me", "me@example.com"]
    elapsed, peak = timed_once(command, env)
    print(
        f"| followup import mail ({MESSAGES:,} messages, {size:.1f} GB mbox) | {elapsed:.0f} "
        f"| peak RSS {peak:.0f} MB |"
    )
    elapsed, peak = timed_once(command, env)
    print(f"| the same mailbox again (all unchanged) | {elapsed:.0f} | peak RSS {peak:.0f} MB |")
