#!/usr/bin/env python3
"""Compares two newtsim output folders (or two files) less wall times, to show that a change kept
the results: each file is 'identical', 'same less wall times' (JSON keys about time dropped,
'N s' and the report's seconds column masked in text), or DIFFERENT.

Usage: scripts/compare-outputs.py BEFORE AFTER
       FP=oldfingerprint:newfingerprint scripts/compare-outputs.py BEFORE AFTER
(FP substitutes a study fingerprint in the raw bytes first, for changes that move the fingerprint.)
Exit status 1 when any file differs."""
import sys, os, json, re, hashlib
TIME = re.compile(r'(\d+(\.\d+)?(e[+-]?\d+)?\s?(s|ms|min)\b)|(\d+ min \d+ s)')
DROP = re.compile(r'elapsed|seconds|timings|^date$|^host$|processors')
def norm_json(o):
    if isinstance(o, dict): return {k: norm_json(v) for k, v in o.items() if not DROP.search(k)}
    if isinstance(o, list): return [norm_json(v) for v in o]
    if isinstance(o, str): return TIME.sub('T', o)
    return o
FP = [x.encode() for x in os.environ.get('FP', '').split(':')] if os.environ.get('FP') else None
def digest(path):
    b = open(path, 'rb').read()
    if FP: b = b.replace(FP[0], FP[1])
    raw = hashlib.md5(b).hexdigest()[:8]
    if path.endswith('.json'):
        try: return raw, hashlib.md5(json.dumps(norm_json(json.loads(b)), sort_keys=True).encode()).hexdigest()[:8]
        except Exception: pass
    if path.endswith(('.html', '.txt', '.log')):
        t = TIME.sub('T', b.decode('utf8', 'replace'))
        t = re.sub(r'(<td>Phase[^<]*</td><td>)[\d.]+', r'\1T', t)
        return raw, hashlib.md5(t.encode()).hexdigest()[:8]
    return raw, raw
a, b = sys.argv[1], sys.argv[2]
if os.path.isfile(a):
    pairs = [('', a, b)]
else:
    names = sorted(set(os.path.relpath(os.path.join(r, f), a) for r, _, fs in os.walk(a) for f in fs) |
                   set(os.path.relpath(os.path.join(r, f), b) for r, _, fs in os.walk(b) for f in fs))
    pairs = [(n, os.path.join(a, n), os.path.join(b, n)) for n in names]
same = diff = 0
for n, x, y in pairs:
    if not (os.path.exists(x) and os.path.exists(y)):
        print('ONLY ONE SIDE', n); diff += 1; continue
    (rx, nx), (ry, ny) = digest(x), digest(y)
    tag = 'identical' if rx == ry else ('same less wall times' if nx == ny else 'DIFFERENT')
    if tag == 'DIFFERENT': diff += 1
    else: same += 1
    print(f'{tag:22s} {rx} {ry} {n or x}')
print(f'{same} same, {diff} different')
sys.exit(1 if diff else 0)
