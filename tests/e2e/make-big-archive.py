#!/usr/bin/env python3
"""Write a docker-save-like archive (legacy layout) of about SIZE_MB megabytes for the explore
view's timing test: two layers, the second holding one big file of zeros plus 1,000 small files.
Usage: make-big-archive.py OUT.tar [SIZE_MB]. Only the timing test uses it; it checks nothing."""
import hashlib, io, json, sys, tarfile

out = sys.argv[1]
size = int(sys.argv[2]) * 1_000_000 if len(sys.argv) > 2 else 1_000_000_000

class Zeros(io.RawIOBase):
    def __init__(self, n): self.n = n
    def readable(self): return True
    def readinto(self, b):
        k = min(len(b), self.n); b[:k] = bytes(k); self.n -= k; return k

def layer_tar(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644; ti.mtime = 1_700_000_000
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()

small = layer_tar([(f'etc/f-{i}.conf', b'x' * (i % 50)) for i in range(1000)])
with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1_700_000_000; t.addfile(ti, io.BytesIO(data))
    add('l0/layer.tar', small)
    # The big layer: a tar holding one big file, streamed (header, zeros, padding, end blocks).
    hdr = tarfile.TarInfo('data/big.bin'); hdr.size = size; hdr.mtime = 1_700_000_000; hdr.mode = 0o644
    h = hdr.tobuf(tarfile.PAX_FORMAT)
    pad = (512 - size % 512) % 512
    layer_len = len(h) + size + pad + 1024
    ti = tarfile.TarInfo('l1/layer.tar'); ti.size = layer_len; ti.mtime = 1_700_000_000
    class Big(io.RawIOBase):
        def __init__(self):
            self.parts = [io.BytesIO(h), Zeros(size), io.BytesIO(bytes(pad + 1024))]
        def readable(self): return True
        def readinto(self, b):
            while self.parts:
                n = self.parts[0].readinto(b)
                if n: return n
                self.parts.pop(0)
            return 0
    t.addfile(ti, io.BufferedReader(Big(), 1 << 20))
    cfg = json.dumps({
        'architecture': 'amd64', 'os': 'linux', 'config': {},
        'rootfs': {'type': 'layers', 'diff_ids': ['sha256:' + hashlib.sha256(small).hexdigest(), 'sha256:' + '0' * 64]},
        'history': [{'created': '2023-11-14T22:13:20Z', 'created_by': '/bin/sh -c #(nop) ADD file:small in / '},
                    {'created': '2023-11-14T22:13:20Z', 'created_by': '/bin/sh -c head -c 1G /dev/zero > /data/big.bin'}],
    }).encode()
    cid = hashlib.sha256(cfg).hexdigest()
    add(f'{cid}.json', cfg)
    add('manifest.json', json.dumps([{'Config': f'{cid}.json', 'RepoTags': ['big:latest'], 'Layers': ['l0/layer.tar', 'l1/layer.tar']}]).encode())
