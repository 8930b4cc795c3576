"""Run many gcloud command lines in one process of the installed Cloud SDK (its own CLI object,
as the `gcloud` script builds it), so each costs milliseconds instead of a second of start-up.

Run with the SDK's Python: `python3 gcloud_batch.py SDK_ROOT < commands.jsonl`, one JSON list
of arguments (without `gcloud`) per line; prints one JSON line per command:
`{"code": exit status, "stderr": what gcloud printed}`.
"""

import json
import os
import sys
import tempfile

sdk = sys.argv[1]
sys.path[:0] = [os.path.join(sdk, "lib"), os.path.join(sdk, "lib", "third_party")]

from googlecloudsdk import gcloud_main  # noqa: E402

cli = gcloud_main.CreateCLI([])
saved = os.dup(2)
for line in sys.stdin:
    args = json.loads(line)
    with tempfile.TemporaryFile() as err:
        sys.stderr.flush()
        os.dup2(err.fileno(), 2)
        try:
            cli.Execute(args)
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except BaseException as e:  # reported as "other", never raised
            code = -1
            sys.stderr.write(f"CRASH {e!r}\n")
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
        err.seek(0)
        text = err.read().decode(errors="replace")
    print(json.dumps({"code": code, "stderr": text}), flush=True)
