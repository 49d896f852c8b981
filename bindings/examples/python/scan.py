"""Scan one text with the Wardline engine from Python (wasmtime), through the byte ABI of docs/abi.md.

Not run in CI. Usage (from the repository root, after `npm run build`):
    pip install wasmtime
    npx wardline compile policies/default.yaml -o default.wlp
    python bindings/examples/python/scan.py default.wlp "mail me at ann@example.org"
"""
import struct
import sys

from wasmtime import Instance, Module, Store

ACTIONS = ["allow", "flag", "disclaimer", "pseudonymize", "redact", "stop", "block"]

store = Store()
module = Module.from_file(store.engine, "build/wardline.wasm")
x = Instance(store, module, []).exports(store)  # the engine imports nothing
mem = x["memory"]
assert x["wl_abi_version"](store) >> 16 == 1, "unsupported engine ABI major"


def put(data: bytes) -> int:
    """Copies bytes into the engine's input buffer; returns their length."""
    ptr = x["wl_input"](store, len(data))
    mem.write(store, data, ptr)
    return len(data)


def result() -> bytes:
    """The result buffer of the last call (re-read after every call: memory may grow)."""
    ptr = x["wl_result_ptr"](store)
    return bytes(mem.read(store, ptr, ptr + x["wl_result_len"](store)))


def check(code: int, what: str) -> int:
    if code < 0:
        raise RuntimeError(f"{what}: engine status {-code}")
    return code


policy_path, text = sys.argv[1], sys.argv[2]
with open(policy_path, "rb") as f:
    h = check(x["wl_policy_load"](store, put(f.read())), "loading the policy")

# type names, for the findings (policy info layout)
check(x["wl_policy_info"](store, h), "policy info")
info = result()
type_count, _rule_count = struct.unpack_from("<II", info, 0)
o, types = 8, []
for _ in range(type_count):
    _detector, n = struct.unpack_from("<II", info, o)
    types.append(info[o + 8 : o + 8 + n].decode())
    o += 8 + n

# one-shot scan at ingress (phase 1)
check(x["wl_scan"](store, h, 1, put(text.encode())), "scanning")
r = result()
_status, action, flags, nf, nr, text_len, _held, _base = struct.unpack_from("<8I", r, 0)
print("action:", ACTIONS[action], "(stopped)" if flags & 1 else "")
for i in range(nf):
    type_id, _det, _act, _rule, start, end, score, _aux = struct.unpack_from("<6IfI", r, 32 + 32 * i)
    print(f"finding: {types[type_id]} bytes {start}-{end} score {score:.3f}")
text_at = 32 + 32 * nf + 16 * nr
print("text:", r[text_at : text_at + text_len].decode())
