#!/usr/bin/env python3
"""Write a copy of a legacy `docker save` archive without one of its layers, for benchmarks that
need an archive of a given size made of real layers (e.g. a 1.0 GB save from the 1.54 GB one):
the layer's member folder is left out, and manifest.json, the config's rootfs.diff_ids and its
history row are rewritten to match (the config gets its new digest as its name).
Usage: drop-layer.py IN.tar OUT.tar LAYER_INDEX"""
import hashlib, io, json, sys, tarfile

src, out, drop = sys.argv[1], sys.argv[2], int(sys.argv[3])
with tarfile.open(src) as t:
    manifest = json.load(t.extractfile('manifest.json'))
    entry = manifest[0]
    config = json.load(t.extractfile(entry['Config']))
    gone = entry['Layers'][drop].split('/')[0]
    del entry['Layers'][drop]
    del config['rootfs']['diff_ids'][drop]
    rows = [i for i, h in enumerate(config['history']) if not h.get('empty_layer')]
    del config['history'][rows[drop]]
    cfg = json.dumps(config, separators=(',', ':')).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + '.json'
    old_cfg = entry['Config']
    entry['Config'] = cfg_name
    with tarfile.open(out, 'w', format=tarfile.GNU_FORMAT) as o:
        for m in t:
            if m.name.split('/')[0] == gone or m.name in ('manifest.json', old_cfg):
                continue
            o.addfile(m, t.extractfile(m) if m.isfile() else None)
        for name, data in ((cfg_name, cfg), ('manifest.json', json.dumps(manifest).encode())):
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1_700_000_000; ti.mode = 0o644
            o.addfile(ti, io.BytesIO(data))
