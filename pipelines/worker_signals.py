"""Imported only in the extraction pool's forkserver, never in a crawl's own process.

Ctrl-C, cron's and systemd's SIGTERM reach every process of the crawl's group. The crawl stops
gracefully and still needs the forkserver and the workers for the pages in flight, so they
ignore both; their lifetime is tied to the crawl's process by pipes instead (the forkserver
exits when the crawl's process does, a worker when its pipe closes), and SIGKILL still ends
them. The workers, forked from the forkserver, inherit this.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
