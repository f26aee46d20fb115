#!/usr/bin/env python3
"""Generate data/catalogue.json: real file lists (paths and sizes) of a few dozen packages, taken
from the registries with their ordinary clients:

  * PyPI: `pip download --no-deps --only-binary=:all:` of each wheel, then its RECORD file
    (path, size) and METADATA Requires-Dist (dependencies without extras/markers for py3.8);
  * Debian: `apt-get download PKG` then `dpkg-deb -c` (file list with sizes) and `dpkg-deb -f`
    (Depends);
  * npm: `npm pack PKG` then the tarball listing (package/… members) and package.json
    dependencies.

Run from the repository root: `python3 scripts/gen-catalogue.py`. Needs network access to PyPI,
the Debian mirror and the npm registry. Alpine (apk) metadata is not fetched: no apk client is
available here, so `apk add` is reported as not simulated unless the catalogue has the package.
"""
import email.parser
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PIP = {
    # flask and its dependencies, requests and its dependencies: versions that support Python 3.8.
    "flask": "3.0.3", "werkzeug": "3.0.6", "jinja2": "3.1.4", "markupsafe": "2.1.5",
    "itsdangerous": "2.2.0", "click": "8.1.7", "blinker": "1.8.2", "importlib-metadata": "8.5.0",
    "zipp": "3.20.2",
    "requests": "2.32.3", "urllib3": "2.2.3", "idna": "3.10", "certifi": "2024.8.30",
    "charset-normalizer": "3.4.0",
    "gunicorn": "23.0.0", "packaging": "24.2",
}
APT = ["curl", "ca-certificates", "libcurl4", "wget", "git-man"]
NPM = {"express": "4.21.1", "ms": "2.1.3", "debug": "2.6.9", "cookie": "0.7.1"}


def run(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def pip_pkg(name, version, tmp):
    d = os.path.join(tmp, "pip-" + name)
    os.makedirs(d, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.8", "--platform", "manylinux2014_x86_64",
         "--platform", "musllinux_1_1_x86_64", "-d", d, f"{name}=={version}"], tmp)
    whl = [f for f in os.listdir(d) if f.endswith(".whl")][0]
    z = zipfile.ZipFile(os.path.join(d, whl))
    record = [n for n in z.namelist() if n.endswith(".dist-info/RECORD")][0]
    meta = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")][0]
    files = []
    for row in z.read(record).decode().splitlines():
        parts = row.rsplit(",", 2)
        if len(parts) == 3:
            path, _, size = parts
            if size:
                files.append([path, int(size)])
            else:
                files.append([path, z.getinfo(path).file_size if path in z.namelist() else 0])
    msg = email.parser.Parser().parsestr(z.read(meta).decode())
    requires = []
    for r in msg.get_all("Requires-Dist") or []:
        if "extra ==" in r:
            continue
        if "python_version" in r and "< \"3.8\"" in r:
            continue
        if "platform_system == \"Windows\"" in r or "sys_platform == \"win32\"" in r:
            continue
        dep = re.split(r"[ ;<>=!~\[(]", r.strip(), maxsplit=1)[0]
        requires.append(dep.lower())
    return {"manager": "pip", "name": msg["Name"], "version": msg["Version"],
            "requires": requires, "files": files, "source": "PyPI wheel RECORD " + whl}


def apt_pkg(name, tmp):
    d = os.path.join(tmp, "apt-" + name)
    os.makedirs(d, exist_ok=True)
    run(["apt-get", "download", name], d)
    deb = [f for f in os.listdir(d) if f.endswith(".deb")][0]
    listing = subprocess.run(["dpkg-deb", "-c", deb], cwd=d, check=True, capture_output=True,
                             text=True).stdout
    files = []
    for line in listing.splitlines():
        parts = line.split(None, 5)
        if len(parts) < 6 or not parts[0].startswith("-"):
            continue
        path = parts[5].split(" -> ")[0]
        files.append([path.lstrip("./"), int(parts[2])])
    version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], cwd=d, check=True,
                             capture_output=True, text=True).stdout.strip()
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], cwd=d, check=True,
                             capture_output=True, text=True).stdout.strip()
    requires = [re.split(r"[ (:]", x.strip())[0] for x in depends.split(",") if x.strip()]
    requires = [r for r in requires if r in APT]
    return {"manager": "apt", "name": name, "version": version, "requires": requires,
            "files": files, "source": "Debian dpkg-deb -c " + deb}


def npm_pkg(name, version, tmp):
    d = os.path.join(tmp, "npm-" + name)
    os.makedirs(d, exist_ok=True)
    run(["npm", "pack", f"{name}@{version}", "--silent"], d)
    tgz = [f for f in os.listdir(d) if f.endswith(".tgz")][0]
    files = []
    deps = []
    with tarfile.open(os.path.join(d, tgz)) as t:
        for m in t.getmembers():
            if m.isfile():
                files.append([m.name.split("/", 1)[1], m.size])
                if m.name == "package/package.json":
                    deps = list(json.load(t.extractfile(m)).get("dependencies", {}).keys())
    deps = [x for x in deps if x in NPM]
    return {"manager": "npm", "name": name, "version": version, "requires": deps,
            "files": sorted(files), "source": "npm pack " + tgz}


def main():
    out = {"generated_by": "scripts/gen-catalogue.py", "packages": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n, v in PIP.items():
            out["packages"].append(pip_pkg(n, v, tmp))
        for n in APT:
            out["packages"].append(apt_pkg(n, tmp))
        for n, v in NPM.items():
            out["packages"].append(npm_pkg(n, v, tmp))
    os.makedirs("data", exist_ok=True)
    with open("data/catalogue.json", "w") as f:
        json.dump(out, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    total = sum(len(p["files"]) for p in out["packages"])
    print(f"{len(out['packages'])} packages, {total} files -> data/catalogue.json")


if __name__ == "__main__":
    main()
