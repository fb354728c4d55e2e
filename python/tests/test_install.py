# SPDX-License-Identifier: GPL-2.0
"""'pip install ./python' installs the package (pyproject.toml is right)."""

import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)


def test_pip_install_gives_an_importable_package(tmp_path):
    src = tmp_path / "src"
    # A copy: pip's build writes build/ and *.egg-info next to the sources.
    shutil.copytree(PYTHON_DIR, src,
                    ignore=shutil.ignore_patterns("tests", "build",
                                                  "*.egg-info", "__pycache__"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "--no-build-isolation", "--no-deps", "--no-index",
                    "--target", str(target), str(src)], check=True,
                   env=dict(os.environ, PIP_ROOT_USER_ACTION="ignore",
                            PIP_DISABLE_PIP_VERSION_CHECK="1"))
    out = subprocess.run(
        [sys.executable, "-I", "-c",
         "import sys; sys.path.insert(0, sys.argv[1]); import pynq_irq; "
         "print(pynq_irq.__version__, pynq_irq.__file__, "
         "pynq_irq.Interrupt.__module__)", str(target)],
        capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "0.1.0"
    assert out[1] == str(target / "pynq_irq" / "__init__.py")
    assert out[2] == "pynq_irq"
    assert sorted(p.name for p in (target / "pynq_irq").glob("*.py")) == \
        ["__init__.py", "_abi.py", "_interrupt.py", "_sysfs.py"]
