{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "xrdhUi7yr3WykUCaRWGYUx2ehLhBPx2A9ThE2MqqNUbJ5pnwX\u002BTvmq7Z\u002Bt4XSyqtc5R9cTCv8pBYjWsJarZPYQ=="
}