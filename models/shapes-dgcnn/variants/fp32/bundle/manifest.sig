{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "tDV\u002BSGVIQxIjFnI\u002BSnCrvHlLHdCGnoGaXv7Ovoyjn0HQ3jBmJtOU3OzFmxzjiAa5qQjMbR95q6fZnc85gGzqEA=="
}