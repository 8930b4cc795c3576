"""The static reach of a function finds the codes of everything it may run."""

from pathlib import Path

from shared.contract.reach import CodeBase


def _write(root: Path, files: dict[str, str]) -> CodeBase:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return CodeBase(root)


def test_reach_follows_imports_tables_methods_properties_and_callbacks(tmp_path: Path) -> None:
    code = _write(
        tmp_path,
        {
            "shared/__init__.py": "",
            "shared/errors/__init__.py": "class AppError(Exception): ...\n",
            "shared/errors/codes_x.py": 'CODES = {"ERR_4999": None}\n',
            "shared/area/__init__.py": "from shared.area.service import run\n",
            "shared/area/service.py": (
                "from shared.errors import AppError\n"
                'REASONS = {"late": "ERR_4901"}\n'
                "class Base:\n"
                "    def __init__(self):\n"
                '        raise AppError("ERR_4906")\n'
                "class Other:\n"
                "    def __init__(self):\n"
                '        raise AppError("ERR_4907")\n'
                "class Client(Base):\n"
                "    def __init__(self):\n"
                "        super().__init__()\n"  # Base's, not every __init__ there is
                "    def send(self):\n"
                '        raise AppError("ERR_4902")\n'
                "    @property\n"
                "    def who(self):\n"
                '        raise AppError("ERR_4903")\n'
                "    def unused(self):\n"
                '        raise AppError("ERR_4904")\n'
                "def run(client, ctx, reason):\n"
                "    def body():\n"
                "        client.send()\n"
                "    ctx.who\n"
                "    ctx.free\n"  # read, not called, and not a property: runs nothing
                "    return retry(body), REASONS[reason]\n"
                "def retry(fn):\n"
                "    return fn()\n"
                "class Unrelated:\n"
                "    def free(self):\n"
                '        raise AppError("ERR_4908")\n'
                "def elsewhere():\n"
                '    raise AppError("ERR_4905")\n'
            ),
            "functions/__init__.py": "",
            "functions/area.py": (
                "from shared import area\n"
                "def handler(request):\n"
                "    return area.run(area.service.Client(), request.ctx, 'late')\n"
            ),
        },
    )
    reached = code.reach([code.node("functions.area", "handler")])
    codes = set().union(*(n.codes for n in reached))
    # Client is used, so all its methods count (4904 too); Other and elsewhere are not.
    assert codes == {"ERR_4901", "ERR_4902", "ERR_4903", "ERR_4904", "ERR_4906"}
    assert "ERR_4999" not in code.literal_codes()  # the catalog itself is not code
