// Scan one text with the Wardline engine from Go (wazero), through the byte ABI of docs/abi.md.
//
// Not run in CI. Usage (from the repository root, after `npm run build`):
//
//	npx wardline compile policies/default.yaml -o default.wlp
//	(cd bindings/examples/go && go mod tidy && go build -o ../../../wl-scan .)
//	./wl-scan default.wlp "mail me at ann@example.org"
package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"log"
	"math"
	"os"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

var actions = []string{"allow", "flag", "disclaimer", "pseudonymize", "redact", "stop", "block"}

type engine struct {
	ctx context.Context
	mod api.Module
}

// call invokes an export; i32 results come back as uint64 holding the 32 bits.
func (e engine) call(name string, args ...uint64) int32 {
	r, err := e.mod.ExportedFunction(name).Call(e.ctx, args...)
	if err != nil {
		log.Fatalf("%s: %v (a trap is an engine bug)", name, err)
	}
	if len(r) == 0 {
		return 0
	}
	return int32(uint32(r[0]))
}

// put copies bytes into the engine's input buffer and returns their length.
func (e engine) put(b []byte) uint64 {
	ptr := uint32(e.call("wl_input", uint64(len(b))))
	if !e.mod.Memory().Write(ptr, b) {
		log.Fatal("input buffer out of range")
	}
	return uint64(len(b))
}

// result copies the result buffer of the last call (memory may grow: re-read every time).
func (e engine) result() []byte {
	ptr, n := uint32(e.call("wl_result_ptr")), uint32(e.call("wl_result_len"))
	b, ok := e.mod.Memory().Read(ptr, n)
	if !ok {
		log.Fatal("result out of range")
	}
	return append([]byte(nil), b...)
}

func check(code int32, what string) int32 {
	if code < 0 {
		log.Fatalf("%s: engine status %d", what, -code)
	}
	return code
}

func main() {
	ctx := context.Background()
	wasm, err := os.ReadFile("build/wardline.wasm")
	if err != nil {
		log.Fatal(err)
	}
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	mod, err := r.Instantiate(ctx, wasm) // the engine imports nothing
	if err != nil {
		log.Fatal(err)
	}
	e := engine{ctx, mod}
	if e.call("wl_abi_version")>>16 != 1 {
		log.Fatal("unsupported engine ABI major")
	}

	policy, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	h := check(e.call("wl_policy_load", e.put(policy)), "loading the policy")

	// type names, for the findings (policy info layout)
	check(e.call("wl_policy_info", uint64(h)), "policy info")
	info := e.result()
	u32 := func(b []byte, o int) uint32 { return binary.LittleEndian.Uint32(b[o:]) }
	types, o := []string{}, 8
	for i := uint32(0); i < u32(info, 0); i++ {
		n := int(u32(info, o+4))
		types = append(types, string(info[o+8:o+8+n]))
		o += 8 + n
	}

	// one-shot scan at ingress (phase 1)
	check(e.call("wl_scan", uint64(h), 1, e.put([]byte(os.Args[2]))), "scanning")
	res := e.result()
	action, flags, nf, nr, textLen := u32(res, 4), u32(res, 8), int(u32(res, 12)), int(u32(res, 16)), int(u32(res, 20))
	fmt.Println("action:", actions[action], map[bool]string{true: "(stopped)", false: ""}[flags&1 != 0])
	for i := 0; i < nf; i++ {
		f := 32 + 32*i
		score := math.Float32frombits(u32(res, f+24))
		fmt.Printf("finding: %s bytes %d-%d score %.3f\n", types[u32(res, f)], u32(res, f+16), u32(res, f+20), score)
	}
	at := 32 + 32*nf + 16*nr
	fmt.Println("text:", string(res[at:at+textLen]))
}
