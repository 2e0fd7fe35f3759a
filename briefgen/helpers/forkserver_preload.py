"""What Python's forkserver imports before it starts any of our processes (see
helpers/workers.py): the modules our workers and the PDF writer run, and WeasyPrint, a
second's import paid once a forkserver rather than once a process.

It also removes the folder its socket is in, `$TMPDIR/pymp-*`, when it ends. Python
removes that folder only when the process that started the forkserver exits cleanly;
the forkserver ends whenever that process does, even killed, so a build killed with
SIGKILL leaves nothing in $TMPDIR (a forkserver killed too, as by a container's
stop, still leaves it)."""

import atexit
import contextlib
import os
import shutil

from briefgen.content import check  # noqa: F401 - what reading workers run
from briefgen.helpers import pdf  # noqa: F401 - what the PDF process runs
from briefgen.helpers.workers import SOCKET_FOLDER
from briefgen.site import render  # noqa: F401 - what rendering workers run

# (Taken out of the environment: the processes the forkserver starts have no use for it.)
_folder = os.environ.pop(SOCKET_FOLDER, None)
if _folder:
    atexit.register(shutil.rmtree, _folder, ignore_errors=True)

# Where WeasyPrint or Pango is missing this fails (OSError, not ImportError, which would
# stop the forkserver); the PDF process, importing it again, says why.
with contextlib.suppress(Exception):
    import weasyprint  # noqa: F401
