{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "eUjkKD3geJT5NnKQPTtsCeQPbPTW3aBMKeKKhwS33lGIRbhld/kV8OViVwlfJF7uDr9ervInVbMtV9L3fVThZQ=="
}