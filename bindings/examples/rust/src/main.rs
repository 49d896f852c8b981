//! Scan one text with the Wardline engine from Rust (wasmtime), through the byte ABI of docs/abi.md.
//!
//! Not run in CI. Usage (from the repository root, after `npm run build`):
//!     npx wardline compile policies/default.yaml -o default.wlp
//!     cargo run --manifest-path bindings/examples/rust/Cargo.toml -- default.wlp "mail me at ann@example.org"
use anyhow::{bail, Result};
use wasmtime::{Engine, Instance, Memory, Module, Store};

const ACTIONS: [&str; 7] = ["allow", "flag", "disclaimer", "pseudonymize", "redact", "stop", "block"];

struct Wardline {
    store: Store<()>,
    instance: Instance,
    memory: Memory,
}

impl Wardline {
    /// Calls an export taking and returning i32s (a trap is an engine bug: the error says so).
    fn call<P: wasmtime::WasmParams, R: wasmtime::WasmResults>(&mut self, name: &str, args: P) -> Result<R> {
        let f = self.instance.get_typed_func::<P, R>(&mut self.store, name)?;
        Ok(f.call(&mut self.store, args)?)
    }

    /// Copies bytes into the engine's input buffer; returns their length.
    fn put(&mut self, bytes: &[u8]) -> Result<u32> {
        let ptr: u32 = self.call("wl_input", bytes.len() as u32)?;
        self.memory.write(&mut self.store, ptr as usize, bytes)?;
        Ok(bytes.len() as u32)
    }

    /// The result buffer of the last call, copied (memory may grow: re-read every time).
    fn result(&mut self) -> Result<Vec<u8>> {
        let ptr: u32 = self.call("wl_result_ptr", ())?;
        let len: i32 = self.call("wl_result_len", ())?;
        Ok(self.memory.data(&self.store)[ptr as usize..ptr as usize + len as usize].to_vec())
    }
}

fn check(code: i32, what: &str) -> Result<i32> {
    if code < 0 {
        bail!("{what}: engine status {}", -code);
    }
    Ok(code)
}

fn u32_at(b: &[u8], o: usize) -> u32 { u32::from_le_bytes(b[o..o + 4].try_into().unwrap()) }

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let engine = Engine::default();
    let module = Module::from_file(&engine, "build/wardline.wasm")?;
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[])?; // the engine imports nothing
    let memory = instance.get_memory(&mut store, "memory").expect("memory export");
    let mut w = Wardline { store, instance, memory };
    let version: u32 = w.call("wl_abi_version", ())?;
    if version >> 16 != 1 {
        bail!("unsupported engine ABI major {}", version >> 16);
    }

    let policy = std::fs::read(&args[1])?;
    let len = w.put(&policy)?;
    let h = check(w.call("wl_policy_load", len)?, "loading the policy")?;

    // type names, for the findings (policy info layout)
    check(w.call("wl_policy_info", h)?, "policy info")?;
    let info = w.result()?;
    let (mut types, mut o) = (Vec::new(), 8usize);
    for _ in 0..u32_at(&info, 0) {
        let n = u32_at(&info, o + 4) as usize;
        types.push(String::from_utf8_lossy(&info[o + 8..o + 8 + n]).into_owned());
        o += 8 + n;
    }

    // one-shot scan at ingress (phase 1)
    let len = w.put(args[2].as_bytes())?;
    check(w.call("wl_scan", (h, 1u32, len))?, "scanning")?;
    let r = w.result()?;
    let (action, flags) = (u32_at(&r, 4), u32_at(&r, 8));
    let (nf, nr, text_len) = (u32_at(&r, 12) as usize, u32_at(&r, 16) as usize, u32_at(&r, 20) as usize);
    println!("action: {} {}", ACTIONS[action as usize], if flags & 1 != 0 { "(stopped)" } else { "" });
    for i in 0..nf {
        let f = 32 + 32 * i;
        let score = f32::from_bits(u32_at(&r, f + 24));
        println!("finding: {} bytes {}-{} score {:.3}", types[u32_at(&r, f) as usize], u32_at(&r, f + 16), u32_at(&r, f + 20), score);
    }
    let at = 32 + 32 * nf + 16 * nr;
    println!("text: {}", String::from_utf8_lossy(&r[at..at + text_len]));
    Ok(())
}
