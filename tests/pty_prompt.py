"""Runs a command under a pseudo-terminal and answers its two passphrase
prompts (tests/request.rs): ARGV is the command; the answers come from
PROMPT_ANSWER1 and PROMPT_ANSWER2. Prints everything the terminal showed
and exits with the command's exit code."""
import os
import pty
import sys
import time

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])

shown = b""


def read(until=None, timeout=30):
    """Reads what the terminal shows, up to `until` (or the end)."""
    global shown
    end = time.time() + timeout
    while (until is None or until not in shown) and time.time() < end:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            return
        if not chunk:
            return
        shown += chunk


read(b"Passphrase for the new key: ")
os.write(fd, os.environ["PROMPT_ANSWER1"].encode() + b"\n")
read(b"The same passphrase again: ")
os.write(fd, os.environ["PROMPT_ANSWER2"].encode() + b"\n")
read()
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
