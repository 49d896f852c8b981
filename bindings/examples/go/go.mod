module wardline.example/scan

go 1.22

require github.com/tetratelabs/wazero v1.12.0
