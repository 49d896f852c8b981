// Provider protocol streams over the byte ABI (docs/abi.md): not exported yet.
// The protocol layer's entry points are added here.
